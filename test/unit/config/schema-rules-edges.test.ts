// Edges of the entry schema and the cross-entry rules that the other config tests do not reach,
// found by mutation testing (docs/mutation-testing.md): how values read in messages, values that
// are not text (callers of TagEntrySchema other than the YAML reader), "tag is the same" beside
// other problems, and repeated entries with and without src_digest.
import { describe, expect, it } from 'vitest';
import { parseTagFileText } from '../../../src/config/index.js';
import { srcDigestProblem, tagProblem } from '../../../src/config/rules.js';
import { describeValue, TagEntrySchema } from '../../../src/config/schema.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('describeValue', () => {
  it.each<[unknown, string]>([
    [undefined, 'nothing'],
    [null, 'an empty value'],
    [['a'], 'a list'],
    [{ a: 1 }, 'a mapping'],
    ['words', 'text "words"'],
    ['x'.repeat(60), `text "${'x'.repeat(60)}"`],
    ['x'.repeat(61), `text "${'x'.repeat(60)}..."`],
    [5, 'number'],
    [true, 'boolean'],
  ])('%j reads as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });
});

describe('TagEntrySchema on values that are not text', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a number as name', { name: 5, src_build_tag: 's', tag: 't' }, 'name must be text; give the image name without a tag'],
    ['a boolean as tag', { name: 'a', src_build_tag: 's', tag: true }, 'tag must be text; give the new tag to create'],
  ])('%s', (_name, input, message) => {
    const result = TagEntrySchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([expect.stringContaining(message)]);
  });
});

const entry = (lines: string[]): string => `${lines.map((line, i) => `${i === 0 ? '  - ' : '    '}${line}`).join('\n')}\n`;

describe('"tag is the same as src_build_tag" beside other problems', () => {
  it.each([
    ['an invalid name', ['name: Bad', 'src_build_tag: same', 'tag: same'], ['images[0].name', 'images[0].tag']],
    ['a src_ref that is not a link', ['name: a', 'src_build_tag: same', 'src_ref: nowhere', 'tag: same'], ['images[0].src_ref', 'images[0].tag']],
  ])('%s: both are reported', (_name, lines, paths) => {
    const { problems } = parseTagFileText(`images:\n${entry(lines)}`, 'f.yaml');
    expect(problems.map((p) => p.path).sort()).toEqual(paths);
    expect(problems.find((p) => p.path === 'images[0].tag')?.message).toMatch(/^tag is the same as src_build_tag/);
  });
});

describe('repeated entries and src_digest', () => {
  const repeat = (first: string | undefined, second: string | undefined): string =>
    'images:\n' +
    entry(['name: a', 'src_build_tag: s', ...(first === undefined ? [] : [`src_digest: ${first}`]), 'tag: t']) +
    entry(['name: docker.io/library/a', 'src_build_tag: s', ...(second === undefined ? [] : [`src_digest: ${second}`]), 'tag: t']);

  it.each<[string, string | undefined, string | undefined, string | undefined]>([
    ['pinned once, repeated without a pin: the pin stays', D1, undefined, D1],
    ['the same pin twice', D1, D1, D1],
    ['a pin added by the repeat', undefined, D2, D2],
  ])('%s', (_name, first, second, kept) => {
    const { entries, problems } = parseTagFileText(repeat(first, second), 'f.yaml');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.srcDigest).toBe(kept);
  });

  it('never pinned: the entry has no srcDigest at all', () => {
    const { entries } = parseTagFileText(repeat(undefined, undefined), 'f.yaml');
    expect(entries[0]).not.toHaveProperty('srcDigest');
  });

  it('two different pins: the problem says how to make them agree', () => {
    const { problems } = parseTagFileText(repeat(D1, D2), 'f.yaml');
    expect(problems.map((p) => p.message)).toEqual([
      `docker.io/library/a:t pins two source digests: ${D1} at f.yaml:2 and ${D2} at f.yaml:6; ` +
        'both entries copy one build, so give them the same src_digest (`retag pin --update FILE` rewrites both)',
    ]);
  });
});

describe('field checks: long values are cut in messages, at the limits', () => {
  it.each<[string, string]>([
    [`a b${'x'.repeat(125)}`, `tag "a b${'x'.repeat(125)}" is not a valid tag; use letters, digits, '_', '.', '-' (max 128)`],
    [`${'y'.repeat(40)}${'z'.repeat(89)}`, `tag "${'y'.repeat(40)}..." is 129 characters long; the limit is 128`],
  ])('tag %#', (value, message) => {
    expect(tagProblem('tag', value)).toBe(message);
  });

  const tail = '; give the manifest digest src_build_tag points at (`retag pin FILE` writes it), or remove the line';
  it.each<[string, string]>([
    [`sha256:${'a'.repeat(73)}`, `src_digest "sha256:${'a'.repeat(73)}" must be sha256: followed by 64 hex digits (it has 73 characters after the colon)${tail}`],
    [`sha256:${'a'.repeat(74)}`, `src_digest "sha256:${'a'.repeat(73)}..." must be sha256: followed by 64 hex digits (it has 74 characters after the colon)${tail}`],
    [`${'m'.repeat(25)}:abc`, `src_digest "${'m'.repeat(25)}:abc" uses algorithm "${'m'.repeat(20)}"; only sha256 and sha512 are used for manifests${tail}`],
  ])('src_digest %#', (value, message) => {
    expect(srcDigestProblem(value)).toBe(message);
  });
});
