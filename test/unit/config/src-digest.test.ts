// src_digest in tag entries (issue 10): its forms, located problems, duplicates and --require-digest.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTagFiles, parseTagFileText } from '../../../src/config/index.js';
import { isPinnableDigest, srcDigestProblem } from '../../../src/config/rules.js';

const SHA256 = `sha256:${'a'.repeat(64)}`;
const SHA512 = `sha512:${'b'.repeat(128)}`;

function file(...digests: (string | undefined)[]): string {
  const lines = ['images:'];
  digests.forEach((digest, i) => {
    lines.push(`  - name: docker.io/starlingx/img${i}`, '    src_build_tag: build-1');
    if (digest !== undefined) lines.push(`    src_digest: ${digest}`);
    lines.push('    tag: stx.1');
  });
  return `${lines.join('\n')}\n`;
}

describe('src_digest forms', () => {
  it.each([SHA256, SHA512])('accepts %s', (digest) => {
    expect(isPinnableDigest(digest)).toBe(true);
    expect(srcDigestProblem(digest)).toBeUndefined();
  });

  it.each([
    ['', 'src_digest is empty'],
    ['a'.repeat(64), 'is not a digest (no algorithm: prefix)'],
    [`md5:${'a'.repeat(32)}`, 'uses algorithm "md5"; only sha256 and sha512'],
    [`sha256:${'a'.repeat(63)}`, 'must be sha256: followed by 64 hex digits (it has 63'],
    [`sha256:${'a'.repeat(65)}`, 'must be sha256: followed by 64 hex digits (it has 65'],
    [`sha256:${'A'.repeat(64)}`, 'has uppercase hex'],
    [`sha256:${'g'.repeat(64)}`, 'must be sha256: followed by 64 hex digits'],
    [`sha512:${'a'.repeat(64)}`, 'must be sha512: followed by 128 hex digits'],
    [`SHA256:${'a'.repeat(64)}`, 'uses algorithm "SHA256"'],
    [`sha256:${'a'.repeat(64)} `, 'must be sha256: followed by 64 hex digits'],
    [`docker.io/x@sha256:${'a'.repeat(64)}`, 'uses algorithm'],
  ])('refuses %j: %s', (value, message) => {
    expect(srcDigestProblem(value)).toContain(message);
    expect(srcDigestProblem(value)).toContain('retag pin FILE');
  });
});

describe('src_digest in a tag file', () => {
  it('is read into srcDigest; entries without one have none', () => {
    const { entries, problems } = parseTagFileText(file(SHA256, undefined), 'f.yaml');
    expect(problems).toEqual([]);
    expect(entries[0]?.srcDigest).toBe(SHA256);
    expect(entries[1]).not.toHaveProperty('srcDigest');
  });

  it.each([
    ['sha256:abc', 4, 'must be sha256: followed by 64 hex digits'],
    ['', 4, 'src_digest is empty'],
    ['[a, b]', 4, 'src_digest must be a single value'],
  ])('a bad value %j is a problem at its line', (digest, line, message) => {
    const { problems } = parseTagFileText(file(digest), 'f.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'f.yaml', line, path: 'images[0].src_digest', image: 'docker.io/starlingx/img0' });
    expect(problems[0]?.message).toContain(message);
  });

  it('a misspelt key gets a suggestion', () => {
    const text = file(undefined).replace('    tag: stx.1', `    src_digets: ${SHA256}\n    tag: stx.1`);
    expect(parseTagFileText(text, 'f.yaml').problems[0]?.message).toBe('unknown key "src_digets"; did you mean src_digest?');
  });

  it('the same tag pinned to two digests is a problem naming both places', () => {
    const other = `sha256:${'c'.repeat(64)}`;
    const text = `${file(SHA256)}---\n${file(other)}`;
    const { problems } = parseTagFileText(text, 'f.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 10, path: 'images[0].src_digest' });
    expect(problems[0]?.message).toContain(`pins two source digests: ${SHA256} at f.yaml:2 and ${other} at f.yaml:8`);
  });

  it('a repeat may pin what the first occurrence left open', () => {
    const { entries, problems } = parseTagFileText(`${file(undefined)}---\n${file(SHA256)}`, 'f.yaml');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.srcDigest).toBe(SHA256);
  });
});

describe('loadTagFiles --require-digest', () => {
  it('names every entry without src_digest, at its line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retag-digest-'));
    await writeFile(join(dir, 'a.yaml'), file(SHA256, undefined, undefined));
    const loaded = await loadTagFiles(['a.yaml'], { cwd: dir, requireDigest: true });
    expect(loaded.problems.map((p) => [p.line, p.path, p.image])).toEqual([
      [6, 'images[1]', 'docker.io/starlingx/img1'],
      [9, 'images[2]', 'docker.io/starlingx/img2'],
    ]);
    expect(loaded.problems[0]?.message).toContain('src_digest is missing (--require-digest); run `retag pin a.yaml`');
    expect((await loadTagFiles(['a.yaml'], { cwd: dir })).problems).toEqual([]);
  });
});
