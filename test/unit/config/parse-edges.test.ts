// Edges of the tag-file parser that the main table (parse.test.ts) does not reach, found by
// mutation testing (docs/mutation-testing.md): top-level keys with no suggestion, a misspelt
// images: beside a real one, problems found out of line order, and problems with no line.
import { describe, expect, it } from 'vitest';
import { parseTagFileText, type ConfigProblem } from '../../../src/config/index.js';
import { MAX_PROBLEMS_PER_FILE, byLine, limitProblems } from '../../../src/config/parse.js';

function problemsOf(text: string): { line: number | undefined; message: string }[] {
  return parseTagFileText(text, 'f.yaml').problems.map((p) => ({ line: p.line, message: p.message }));
}

describe('parseTagFileText: document keys', () => {
  it('an unknown top-level key that resembles nothing lists what a document holds', () => {
    expect(problemsOf('release: stx.4.0\nimages: []\n')).toEqual([
      { line: 1, message: 'unknown key "release"; a tag file document has only an images: list' },
    ]);
  });

  it('an unknown key that is not a misspelt images: leaves the missing list reported', () => {
    expect(problemsOf('release: stx.4.0\n').map((p) => p.message).sort()).toEqual([
      'this document has no images: list; add images: with one "- name: ..." entry per image',
      'unknown key "release"; a tag file document has only an images: list',
    ]);
  });

  it('a misspelt images: beside a real one that is wrong: both are reported', () => {
    expect(problemsOf('images: some text\nimags: []\n')).toEqual([
      { line: 1, message: 'images must be a list of entries ("- name: ..."), not text "some text"' },
      { line: 2, message: 'unknown key "imags"; did you mean images?' },
    ]);
  });

  it('a problem with images: is at the line of images:, not where the document begins', () => {
    expect(problemsOf('release: stx.4.0\n# the list\nimages: some text\n')).toEqual([
      { line: 1, message: 'unknown key "release"; a tag file document has only an images: list' },
      { line: 3, message: 'images must be a list of entries ("- name: ..."), not text "some text"' },
    ]);
  });
});

describe('parseTagFileText: problems come in line order however they were found', () => {
  it('an unknown key above an invalid field of the same entry comes first', () => {
    const text = 'images:\n  - name: a\n    note: x\n    src_build_tag: s\n    tag: "a b"\n';
    expect(problemsOf(text).map((p) => p.line)).toEqual([3, 5]);
  });

  it('a conflict between entries sorts in before a later entry’s own problem', () => {
    const text =
      'images:\n' +
      '  - name: ubuntu\n    src_build_tag: s1\n    tag: t\n' + // 2..4
      '  - name: ubuntu\n    src_build_tag: s2\n    tag: t\n' + // 5..7, conflict at 6
      '  - name: Bad\n    src_build_tag: s\n    tag: t\n'; // 8..10
    expect(problemsOf(text).map((p) => p.line)).toEqual([6, 8]);
  });

  it('byLine: problems without a line first, then by line, ties in the order found', () => {
    const found: ConfigProblem[] = [
      { file: 'f', line: 5, message: 'e' },
      { file: 'f', line: 2, message: 'b1' },
      { file: 'f', message: 'whole file 1' },
      { file: 'f', line: 2, message: 'b2' },
      { file: 'f', line: 9, message: 'z' },
      { file: 'f', line: 2, message: 'b3' },
      { file: 'f', message: 'whole file 2' },
      { file: 'f', line: 1, message: 'a' },
    ];
    expect(byLine(found).map((p) => p.message)).toEqual(['whole file 1', 'whole file 2', 'a', 'b1', 'b2', 'b3', 'e', 'z']);
  });
});

describe('limitProblems without lines', () => {
  it('the note has no line when the first problem left out has none', () => {
    const many = Array.from({ length: MAX_PROBLEMS_PER_FILE + 1 }, (_, i): ConfigProblem => ({ file: 'f.yaml', message: `p${i}` }));
    const note = limitProblems(many).at(-1);
    expect(note).toMatchObject({ file: 'f.yaml', truncated: true });
    expect(note).not.toHaveProperty('line');
  });
});
