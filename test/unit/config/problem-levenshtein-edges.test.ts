// Edges of problem formatting and of the "did you mean" distance limits, found by mutation testing
// (docs/mutation-testing.md): long image names cut at 100, empty parts left out, and the limit of
// edits per word length at its boundaries.
import { describe, expect, it } from 'vitest';
import { formatProblem, type ConfigProblem } from '../../../src/config/index.js';
import { nearest } from '../../../src/config/levenshtein.js';

describe('formatProblem', () => {
  it.each<[ConfigProblem, string]>([
    [{ file: 'f', line: 1, image: 'i'.repeat(100), message: 'm' }, `f:1: (${'i'.repeat(100)}): m`],
    [{ file: 'f', line: 1, image: `${'i'.repeat(100)}j`, message: 'm' }, `f:1: (${'i'.repeat(100)}...): m`],
    [{ file: 'f', line: 1, image: '', message: 'm' }, 'f:1: m'],
    [{ file: 'f', line: 1, path: '', image: 'x', message: 'm' }, 'f:1: (x): m'],
    [{ file: 'f', line: 1, path: 'images[0]', image: '', message: 'm' }, 'f:1: images[0]: m'],
  ])('%j', (problem, text) => {
    expect(formatProblem(problem)).toBe(text);
  });
});

describe('nearest: edits allowed per word length', () => {
  const keys = ['name', 'src_build_tag', 'src_ref', 'tag'];
  it.each([
    ['tgx', undefined], // 3 characters: one edit only (tag is two away)
    ['tagxyz', undefined], // 6 characters: two edits only (tag is three away)
    ['srcbuildtg', 'src_build_tag'], // 7 or more: three edits
  ])('%j -> %j', (word, expected) => {
    expect(nearest(word, keys)).toBe(expected);
  });
});
