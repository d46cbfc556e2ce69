// Edges of retag pin's text edits that digest-edit.test.ts does not reach, found by mutation
// testing (docs/mutation-testing.md): comments and spaces after a replaced digest, mixed line
// endings, entries spread over lines, values that only the failsafe schema reads as text, and the
// safety net (an edit list that does not fit the text is refused, never written).
import { describe, expect, it } from 'vitest';
import { editDigests, type DigestEdit } from '../../../src/config/digest-edit.js';
import { readTagFileText } from '../../../src/config/parse.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function occurrencesOf(text: string) {
  const read = readTagFileText(text, 'f.yaml');
  expect(read.problems).toEqual([]);
  return read.occurrences;
}

/** Pins every entry of `text` to `digest`. */
function pinAll(text: string, digest = D1): ReturnType<typeof editDigests> {
  return editDigests(text, 'f.yaml', occurrencesOf(text).map((occurrence) => ({ occurrence, digest })));
}

function edited(text: string, digest = D1): string {
  const outcome = pinAll(text, digest);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  return outcome.text;
}

function refusal(outcome: ReturnType<typeof editDigests>): { line: number | undefined; message: string }[] {
  if (outcome.ok) throw new Error(`expected a refusal, got:\n${outcome.text}`);
  return outcome.problems.map((p) => ({ line: p.line, message: p.message }));
}

const entry = (digestLine: string): string => `images:\n  - name: a\n    src_build_tag: b1\n    ${digestLine}\n    tag: t1\n`;

describe('editDigests: replacing a digest keeps what is around it', () => {
  it.each([
    ['a comment with double quotes', `src_digest: ${D1}  # "reviewed"`, `src_digest: ${D2}  # "reviewed"`],
    ['a comment with single quotes', `src_digest: ${D1} # 'reviewed'`, `src_digest: ${D2} # 'reviewed'`],
    ['a long comment', `src_digest: ${D1}   # pinned on 2020-02-12`, `src_digest: ${D2}   # pinned on 2020-02-12`],
    ['trailing spaces', `src_digest: ${D1}   `, `src_digest: ${D2}   `],
    ['single quotes', `src_digest: '${D1}'`, `src_digest: '${D2}'`],
  ])('%s', (_name, before, after) => {
    expect(edited(entry(before), D2)).toBe(entry(after));
  });
});

describe('editDigests: adding a digest', () => {
  it.each<[string, string, string]>([
    [
      'a tag that the JSON schema would read as a number',
      'images:\n  - name: a\n    src_build_tag: 1.10\n    tag: t1\n',
      `images:\n  - name: a\n    src_build_tag: 1.10\n    src_digest: ${D1}\n    tag: t1\n`,
    ],
    [
      'an entry whose keys start on the line after its `-`',
      'images:\n  -\n    name: a\n    src_build_tag: b1\n    tag: t1\n',
      `images:\n  -\n    name: a\n    src_build_tag: b1\n    src_digest: ${D1}\n    tag: t1\n`,
    ],
    [
      'mixed line endings: the new line ends as the line it follows',
      'images:\r\n  - name: a\r\n    src_build_tag: b1\n    tag: t1\r\n',
      `images:\r\n  - name: a\r\n    src_build_tag: b1\n    src_digest: ${D1}\n    tag: t1\r\n`,
    ],
    [
      'CRLF, src_build_tag last with no line break: the file’s line break is used',
      'images:\r\n  - name: a\r\n    tag: t1\r\n    src_build_tag: b1',
      `images:\r\n  - name: a\r\n    tag: t1\r\n    src_build_tag: b1\r\n    src_digest: ${D1}`,
    ],
  ])('%s', (_name, text, expected) => {
    expect(edited(text)).toBe(expected);
  });
});

describe('editDigests: entries spread over lines are refused, with the reason', () => {
  it.each<[string, string, number, string]>([
    ['a flow mapping whose src_build_tag is not first on its line', 'images:\n  - {name: a,\n     tag: t1, src_build_tag: b1}\n', 3, 'the entry is written as a flow mapping ({...})'],
    ['the same, two spaces after the dash', 'images:\n  -  {name: a,\n      tag: t1, src_build_tag: b1}\n', 3, 'the entry is written as a flow mapping ({...})'],
    ['the same, the mapping on the line after its dash', 'images:\n  -\n    {name: a,\n     tag: t1, src_build_tag: b1}\n', 4, 'the entry is written as a flow mapping ({...})'],
    ['a flow mapping whose src_build_tag starts a line', 'images:\n  - {name: a, tag: t1,\n     src_build_tag: b1}\n', 3, "src_build_tag: is not aligned with the entry's other keys"],
    ['a bracket in a comment is not a flow mapping', 'images:\n  - name: a  # [old]\n    src_build_tag:\n      b1\n    tag: t1\n', 3, 'src_build_tag: is not on a line of its own'],
    ['a one-line file with no line break', 'images: [{name: a, src_build_tag: b1, tag: t1}]', 1, 'the entry is written as a flow mapping ({...})'],
  ])('%s', (_name, text, line, why) => {
    const [problem] = refusal(pinAll(text));
    expect(problem?.line).toBe(line);
    expect(problem?.message).toBe(`${why}; retag pin edits only block entries with one-line values, so add \`src_digest: ${D1}\` by hand (nothing was written to this file)`);
  });
});

describe('editDigests: the safety net', () => {
  const SAFETY = 'the file would not read the same after adding src_digest (an unusual layout); nothing was written, add the digests by hand';

  it('an edit that would break the YAML (a flow mapping spread over lines) is refused at the entry', () => {
    expect(refusal(pinAll('images:\n  -  {name: a, tag: t1,\n     src_build_tag: b1\n     }\n'))).toEqual([{ line: 2, message: SAFETY }]);
  });

  it('an edit that lands in another entry (an edit list that does not fit the text) is refused', () => {
    const text = 'images:\n  - name: a\n    src_build_tag: b1\n    tag: t1\n  - name: c\n    src_build_tag: b1\n    tag: t2\n';
    const [first, second] = occurrencesOf(text);
    const misplaced: DigestEdit = { occurrence: { ...first!, sourceLine: second!.sourceLine }, digest: D1 };
    expect(refusal(editDigests(text, 'f.yaml', [misplaced]))).toEqual([{ line: 2, message: SAFETY }]);
  });

  it('an occurrence beyond the end of the text could not be located', () => {
    const text = 'images:\n  - name: a\n    src_build_tag: b1\n    tag: t1\n';
    const [only] = occurrencesOf(text);
    const why = (line: number) => ({
      line,
      message: `the entry could not be located; retag pin edits only block entries with one-line values, so add \`src_digest: ${D1}\` by hand (nothing was written to this file)`,
    });
    expect(refusal(editDigests(text, 'f.yaml', [{ occurrence: { ...only!, location: { file: 'f.yaml', line: 40 } }, digest: D1 }]))).toEqual([why(40)]);
    expect(refusal(editDigests(text, 'f.yaml', [{ occurrence: { ...only!, sourceLine: 40 }, digest: D1 }]))).toEqual([why(2)]);
    expect(refusal(editDigests('', 'f.yaml', [{ occurrence: { ...only!, location: { file: 'f.yaml', line: 1 }, sourceLine: 1 }, digest: D1 }]))).toEqual([why(1)]);
  });

  it('the same entry given twice is refused, not written once', () => {
    const text = 'images:\n  - name: a\n    src_build_tag: b1\n    tag: t1\n';
    const [only] = occurrencesOf(text);
    expect(refusal(editDigests(text, 'f.yaml', [{ occurrence: only!, digest: D1 }, { occurrence: only!, digest: D2 }]))).toEqual([
      {
        line: 3,
        message: `two entries share this line; retag pin edits only block entries with one-line values, so add \`src_digest: ${D2}\` by hand (nothing was written to this file)`,
      },
    ]);
  });
});
