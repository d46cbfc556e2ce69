// Comment syntax per file for the refs scanner (comments.ts): which dialect a file name means,
// the comment spans of each line (quotes, block comments over lines, `#` only at a word start),
// and the `retag: ignore` marker. Found worth a table of its own by mutation testing
// (docs/mutation-testing.md): scan-file.test.ts sees it only through `inComment` and `ignored`.
import { describe, expect, it } from 'vitest';
import { CommentTracker, dialectFor, hasIgnoreMarker, inSpans, isCommentOnly, type CommentDialect, type Span } from '../../../src/refs/comments.js';

describe('dialectFor', () => {
  it.each<[string, CommentDialect]>([
    ['a/Jenkinsfile', 'slash'],
    ['x.jenkinsfile', 'slash'],
    ['Dockerfile', 'hash'],
    ['Dockerfile.centos', 'hash'],
    ['x.dockerfile', 'hash'],
    ['Makefile', 'hash'],
    ['values.yaml', 'hash'],
    ['x.yaml.j2', 'hash'],
    ['a.tpl', 'hash'],
    ['main.go', 'slash'],
    ['x.JSON5', 'slash'],
    ['README.md', 'markdown'],
    ['noext', 'generic'],
    ['a.b.unknown', 'generic'],
    ['dir.yaml/file', 'generic'],
  ])('%s: %s', (path, dialect) => {
    expect(dialectFor(path)).toBe(dialect);
  });
});

describe('CommentTracker.spans, line after line', () => {
  it.each<[CommentDialect, [string, Span[]][]]>([
    [
      'hash',
      [
        ['a # c', [[2, 5]]],
        ['a#b # c', [[4, 7]]],
        ["it's # c", [[5, 8]]],
        ['"a # b" # c', [[8, 11]]],
        ["'a # b' # c", [[8, 11]]],
        ['"a \\" # b" # c', [[11, 14]]],
        ['{# x #} y', [[0, 7]]],
        ['${#x} y #c', [[8, 10]]],
        ['// not', []],
        ['x <!-- a', [[2, 8]]],
        ['still -->b', [[0, 9]]],
        ['x <!-- a', [[2, 8]]],
        ['--> b', [[0, 3]]],
        ['{# a #}{# b #}', [[0, 7], [7, 14]]],
        ['{{/* a */}} b', [[0, 11]]],
        ['{{- /* a */}} b', [[0, 11]]],
      ],
    ],
    [
      'slash',
      [
        ['a // c', [[2, 6]]],
        ['http://x', []],
        ['a /* b */ c', [[2, 9]]],
        ['/*/ x */', [[0, 8]]],
        ['a $/* b */', [[3, 10]]],
        ['a /* b', [[2, 6]]],
        ['c */ d', [[0, 4]]],
        ['# no', []],
        ['x//y', []],
      ],
    ],
    [
      'generic',
      [
        ['a # c', [[2, 5]]],
        ['a // c', [[2, 6]]],
        ['a/*b*/', []],
      ],
    ],
    [
      'markdown',
      [
        ['# head', []],
        ['<!-- c --> x', [[0, 10]]],
        ['/* no */', []],
      ],
    ],
  ])('%s', (dialect, lines) => {
    const tracker = new CommentTracker(dialect);
    expect(lines.map(([line]) => tracker.spans(line))).toEqual(lines.map(([, spans]) => spans));
  });

  it('reset: a block comment left open does not run into the next file of a patch', () => {
    const tracker = new CommentTracker('hash');
    expect(tracker.spans('a <!-- open')).toEqual([[2, 11]]);
    tracker.reset();
    expect(tracker.spans('b # c')).toEqual([[2, 5]]);
  });
});

describe('inSpans, isCommentOnly, hasIgnoreMarker', () => {
  it.each<[number, boolean]>([
    [1, false],
    [2, true],
    [4, true],
    [5, false],
  ])('index %i in [2, 5): %s', (index, inside) => {
    expect(inSpans([[2, 5]], index)).toBe(inside);
  });

  it.each<[string, Span[], boolean]>([
    ['  # x', [[2, 5]], true],
    ['a # x', [[2, 5]], false],
    ['', [], false],
    ['/* a */ # b', [[0, 7], [8, 11]], true],
    ['/* a */ x # b', [[0, 7], [10, 13]], false],
    ['/* a */ x', [[0, 7]], false],
    ['# a  ', [[0, 3]], true],
  ])('%j is only comment: %s', (line, spans, only) => {
    expect(isCommentOnly(line, spans)).toBe(only);
  });

  it.each<[string, Span[], boolean]>([
    ['a # retag:ignore', [[2, 16]], true],
    ['a # retag:  ignore it', [[2, 21]], true],
    ['retag: ignore # x', [[14, 17]], false],
    ['# retag: ignored', [[0, 16]], false],
  ])('%j carries the marker: %s', (line, spans, marked) => {
    expect(hasIgnoreMarker(line, spans)).toBe(marked);
  });
});
