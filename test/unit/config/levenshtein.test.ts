import { describe, expect, it } from 'vitest';
import { levenshtein, nearest } from '../../../src/config/levenshtein.js';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['', 'tag', 3],
    ['tag', '', 3],
    ['tag', 'tag', 0],
    ['src_build_tg', 'src_build_tag', 1],
    ['nmae', 'name', 2],
    ['kitten', 'sitting', 3],
    ['tags', 'tag', 1],
  ])('%j -> %j is %i', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
    expect(levenshtein(b, a)).toBe(distance);
  });
});

describe('nearest', () => {
  const keys = ['name', 'src_build_tag', 'src_ref', 'tag'];
  it.each([
    ['src_build_tg', 'src_build_tag'],
    ['srcBuildTag', 'src_build_tag'],
    ['src-ref', 'src_ref'],
    ['srcref', 'src_ref'],
    ['Name', 'name'],
    ['nmae', 'name'],
    ['tg', 'tag'],
    ['tags', 'tag'],
    // Too far from every key to be a typo: no suggestion rather than a silly one.
    ['a', undefined],
    ['reason', undefined],
    ['image', undefined],
    ['digest', undefined],
  ])('%j -> %j', (word, expected) => {
    expect(nearest(word, keys)).toBe(expected);
  });
});
