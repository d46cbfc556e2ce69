// How the refs scanner reads a file's lines: plain files line by line, patches by their new text
// (`+` and context lines), with headers and hunk starts as breaks. Found worth a table of its own by
// mutation testing (docs/mutation-testing.md): the patch test in scan-file.test.ts reads one hunk.
import { describe, expect, it } from 'vitest';
import { isDiffFile, sourceLines, type LineEvent } from '../../../src/refs/source-lines.js';

function events(lines: string[], diff = true): LineEvent[] {
  return [...sourceLines(lines, diff)];
}

describe('isDiffFile', () => {
  it.each([
    ['0001-move.patch', true],
    ['x.diff', true],
    ['pkg.debdiff', true],
    ['UPPER.PATCH', true],
    ['patch.yaml', false],
    ['x.patch.orig', false],
    ['diff', false],
  ])('%s: %s', (path, diff) => {
    expect(isDiffFile(path)).toBe(diff);
  });
});

describe('sourceLines of a plain file', () => {
  it('yields every line with its index, a trailing CR dropped, nothing removed', () => {
    expect(events(['a: 1\r', '+b', '-c', '', '@@ -1 +1 @@'], false)).toEqual([
      { kind: 'text', index: 0, text: 'a: 1', offset: 0 },
      { kind: 'text', index: 1, text: '+b', offset: 0 },
      { kind: 'text', index: 2, text: '-c', offset: 0 },
      { kind: 'text', index: 3, text: '', offset: 0 },
      { kind: 'text', index: 4, text: '@@ -1 +1 @@', offset: 0 },
    ]);
  });
});

describe('sourceLines of a patch', () => {
  it('mail headers are text; file headers and hunks are breaks naming the patched file', () => {
    expect(
      events([
        'From 1234 Mon Sep 17 00:00:00 2001', // 0
        'Subject: [PATCH] x', // 1
        'diff --git a/v.yaml b/v.yaml', // 2
        'index 123..456 100644', // 3
        '--- a/v.yaml\t2020-01-01 00:00:00', // 4
        '+++ b/charts/v.yaml\t2020-01-02 00:00:00', // 5
        '@@ -1 +1 @@', // 6
        '-a: 1', // 7
        '+a: 2', // 8
        'after the hunk', // 9
      ]),
    ).toEqual([
      { kind: 'text', index: 0, text: 'From 1234 Mon Sep 17 00:00:00 2001', offset: 0 },
      { kind: 'text', index: 1, text: 'Subject: [PATCH] x', offset: 0 },
      { kind: 'break', patchedFile: undefined },
      { kind: 'break', patchedFile: undefined },
      { kind: 'break', patchedFile: undefined },
      { kind: 'break', patchedFile: 'charts/v.yaml' },
      { kind: 'break', patchedFile: 'charts/v.yaml' },
      { kind: 'added', index: 8, text: 'a: 2', offset: 1, patchedFile: 'charts/v.yaml' },
      { kind: 'text', index: 9, text: 'after the hunk', offset: 0 },
    ]);
  });

  it('counts the hunk: a removed `---` line and a blank context line stay in it; CRLF is read', () => {
    expect(
      events([
        '+++ b/v.yaml\r', // 0
        '@@ -1,4 +1,4 @@\r', // 1
        ' a: 1\r', // 2
        '', // 3: a blank context line that lost its space
        '----\r', // 4: the removed line `---`
        '+---\r', // 5
        '\\ No newline at end of file', // 6
        ' b: 2', // 7
        '--- a/next.yaml', // 8: the hunk is complete, so this is the next file's header
      ]),
    ).toEqual([
      { kind: 'break', patchedFile: 'v.yaml' },
      { kind: 'break', patchedFile: 'v.yaml' },
      { kind: 'context', index: 2, text: 'a: 1', offset: 1, patchedFile: 'v.yaml' },
      { kind: 'context', index: 3, text: '', offset: 0, patchedFile: 'v.yaml' },
      { kind: 'added', index: 5, text: '---', offset: 1, patchedFile: 'v.yaml' },
      { kind: 'context', index: 7, text: 'b: 2', offset: 1, patchedFile: 'v.yaml' },
      { kind: 'break', patchedFile: 'v.yaml' },
    ]);
  });

  it('a hunk whose header counts only one side still ends when both sides are used', () => {
    expect(events(['@@ -3 +3,2 @@', '-x', '+y', '+z', 'text again'])).toEqual([
      { kind: 'break', patchedFile: undefined },
      { kind: 'added', index: 2, text: 'y', offset: 1, patchedFile: undefined },
      { kind: 'added', index: 3, text: 'z', offset: 1, patchedFile: undefined },
      { kind: 'text', index: 4, text: 'text again', offset: 0 },
    ]);
  });

  it('only a leading b/ is dropped from the patched file name', () => {
    expect(events(['+++ lib/b/v.yaml', '+++ b/lib/b/w.yaml'])).toEqual([
      { kind: 'break', patchedFile: 'lib/b/v.yaml' },
      { kind: 'break', patchedFile: 'lib/b/w.yaml' },
    ]);
  });

  it('removed lines after the last new line are still in the hunk', () => {
    expect(events(['@@ -1,3 +1,1 @@', ' a', '-b', '-c', 'text'])).toEqual([
      { kind: 'break', patchedFile: undefined },
      { kind: 'context', index: 1, text: 'a', offset: 1, patchedFile: undefined },
      { kind: 'text', index: 4, text: 'text', offset: 0 },
    ]);
    expect(events(['@@ -3 +3 @@', '+y', '-x', 'text'])).toEqual([
      { kind: 'break', patchedFile: undefined },
      { kind: 'added', index: 1, text: 'y', offset: 1, patchedFile: undefined },
      { kind: 'text', index: 3, text: 'text', offset: 0 },
    ]);
  });

  it('a line that fits no hunk ends the hunk early and is read as text', () => {
    expect(events(['@@ -1,3 +1,3 @@', ' a', 'garbage', ' b'])).toEqual([
      { kind: 'break', patchedFile: undefined },
      { kind: 'context', index: 1, text: 'a', offset: 1, patchedFile: undefined },
      { kind: 'text', index: 2, text: 'garbage', offset: 0 },
      { kind: 'text', index: 3, text: ' b', offset: 0 },
    ]);
  });
});
