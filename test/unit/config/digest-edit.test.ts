// retag pin's text edits (issue 10): only the src_digest lines change, every other byte stays.
import { describe, expect, it } from 'vitest';
import { editDigests, type DigestEdit } from '../../../src/config/digest-edit.js';
import { readTagFileText } from '../../../src/config/parse.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

/** Pins every entry of `text` to `digest` (adding, or replacing a different one). */
function pinAll(text: string, digest = D1): ReturnType<typeof editDigests> {
  const read = readTagFileText(text, 'f.yaml');
  expect(read.problems).toEqual([]);
  const edits: DigestEdit[] = read.occurrences
    .filter((occurrence) => occurrence.entry.srcDigest !== digest)
    .map((occurrence) => ({ occurrence, digest }));
  return editDigests(text, 'f.yaml', edits);
}

function edited(text: string, digest = D1): string {
  const outcome = pinAll(text, digest);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  return outcome.text;
}

describe('editDigests: adds src_digest after src_build_tag', () => {
  it.each<[string, string, string]>([
    [
      'StarlingX layout with comments and src_ref',
      '# header\n---\nimages:\n  # the CNI\n  - name: docker.io/starlingx/a\n    src_build_tag: b1  # built 2019\n    src_ref: https://x/y\n    tag: t1\n\n',
      `# header\n---\nimages:\n  # the CNI\n  - name: docker.io/starlingx/a\n    src_build_tag: b1  # built 2019\n    src_digest: ${D1}\n    src_ref: https://x/y\n    tag: t1\n\n`,
    ],
    [
      'CRLF line endings',
      'images:\r\n  - name: a\r\n    src_build_tag: b1\r\n    tag: t1\r\n',
      `images:\r\n  - name: a\r\n    src_build_tag: b1\r\n    src_digest: ${D1}\r\n    tag: t1\r\n`,
    ],
    ['old Mac CR line endings', 'images:\r  - name: a\r    src_build_tag: b1\r    tag: t1\r', `images:\r  - name: a\r    src_build_tag: b1\r    src_digest: ${D1}\r    tag: t1\r`],
    [
      'src_build_tag last, no newline at the end of the file',
      'images:\n  - name: a\n    tag: t1\n    src_build_tag: b1',
      `images:\n  - name: a\n    tag: t1\n    src_build_tag: b1\n    src_digest: ${D1}`,
    ],
    [
      'src_build_tag on the dash line, other indentation',
      'images:\n- src_build_tag: "b1"\n  name: a\n  tag: t1\n',
      `images:\n- src_build_tag: "b1"\n  src_digest: ${D1}\n  name: a\n  tag: t1\n`,
    ],
    [
      'quoted keys and values',
      "images:\n  -   'name': a\n      \"src_build_tag\": 'b1' # 'x'\n      tag: t1\n",
      `images:\n  -   'name': a\n      "src_build_tag": 'b1' # 'x'\n      src_digest: ${D1}\n      tag: t1\n`,
    ],
    [
      'two documents',
      'images:\n  - name: a\n    src_build_tag: b1\n    tag: t1\n---\nimages:\n  - name: c\n    src_build_tag: b2\n    tag: t2\n',
      `images:\n  - name: a\n    src_build_tag: b1\n    src_digest: ${D1}\n    tag: t1\n---\nimages:\n  - name: c\n    src_build_tag: b2\n    src_digest: ${D1}\n    tag: t2\n`,
    ],
  ])('%s', (_name, text, expected) => {
    expect(edited(text)).toBe(expected);
  });

  it('replaces a digest in place, keeping its quotes and comment', () => {
    const text = `images:\n  - name: a\n    src_build_tag: b1\n    src_digest: "${D1}"   # pinned in review\n    tag: t1\n`;
    expect(edited(text, D2)).toBe(`images:\n  - name: a\n    src_build_tag: b1\n    src_digest: "${D2}"   # pinned in review\n    tag: t1\n`);
  });

  it('changes nothing when there is nothing to write', () => {
    const text = `images:\n  - name: a\n    src_build_tag: b1\n    src_digest: ${D1}\n    tag: t1\n`;
    expect(edited(text)).toBe(text);
  });
});

describe('editDigests: refuses layouts it cannot edit safely, naming the line and the digest', () => {
  it.each<[string, string, number, string]>([
    ['a flow mapping entry', 'images:\n  - {name: a, src_build_tag: b1, tag: t1}\n', 2, 'flow mapping'],
    ['a flow list of entries', 'images: [{name: a, src_build_tag: b1, tag: t1}]\n', 1, 'flow mapping'],
    ['a quoted value continued on the next line', 'images:\n  - name: a\n    src_build_tag: "b1\\\n      b2"\n    tag: t1\n', 3, 'does not fit on its line'],
    ['a block scalar', 'images:\n  - name: a\n    src_build_tag: >-\n      b1\n    tag: t1\n', 3, 'does not fit on its line'],
    ['the key on its own line', 'images:\n  - name: a\n    src_build_tag:\n      b1\n    tag: t1\n', 3, 'not on a line of its own'],
  ])('%s', (_name, text, line, why) => {
    const outcome = pinAll(text);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems[0]).toMatchObject({ file: 'f.yaml', line });
    expect(outcome.problems[0]?.message).toContain(why);
    expect(outcome.problems[0]?.message).toContain(`add \`src_digest: ${D1}\` by hand`);
  });

  it('one unsafe entry refuses the whole file', () => {
    const text = 'images:\n  - name: a\n    src_build_tag: b1\n    tag: t1\n  - {name: c, src_build_tag: b2, tag: t2}\n';
    const outcome = pinAll(text);
    expect(outcome.ok).toBe(false);
  });
});
