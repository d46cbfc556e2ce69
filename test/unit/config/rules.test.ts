import { describe, expect, it } from 'vitest';
import { mergeEntries, srcRefProblem, tagProblem, type Occurrence } from '../../../src/config/rules.js';
import { parseImageName } from '../../../src/image-name/index.js';

describe('tagProblem', () => {
  it.each(['stx.4.0-v2.2', '1.10', 'latest', '_x', 'A-b_c.d', 'a'.repeat(128), 'master-centos-stable-20191203T153530Z.0'])(
    'accepts %j',
    (tag) => {
      expect(tagProblem('tag', tag)).toBeUndefined();
    },
  );

  it.each([
    ['a b', `tag "a b" is not a valid tag; use letters, digits, '_', '.', '-' (max 128)`],
    ['', 'tag is empty'],
    ['.hidden', "must start with a letter, a digit or '_'"],
    ['-x', "must start with a letter, a digit or '_'"],
    ['ubuntu:22.04', 'give the tag alone, without the image name or a digest'],
    ['sha256@abc', 'give the tag alone'],
    ['a'.repeat(129), 'is 129 characters long; the limit is 128'],
    ['ü', 'is not a valid tag'],
  ])('rejects %j', (tag, message) => {
    expect(tagProblem('tag', tag)).toContain(message);
  });

  it('names the field it checks', () => {
    expect(tagProblem('src_build_tag', 'a b')).toMatch(/^src_build_tag "a b"/);
  });
});

describe('srcRefProblem', () => {
  it.each(['https://opendev.org/starlingx/integ/commit/dac417bd', 'http://example.com/x'])('accepts %j', (url) => {
    expect(srcRefProblem(url)).toBeUndefined();
  });
  it.each(['ftp://example.com/x', 'opendev.org/starlingx', 'dac417bd', 'file:///etc/passwd', 'https://'])(
    'rejects %j',
    (url) => {
      expect(srcRefProblem(url)).toBe(
        `src_ref "${url}" is not an http(s) URL; give the link to the source commit, or remove the line`,
      );
    },
  );
});

describe('mergeEntries', () => {
  const occurrence = (name: string, source: string, tag: string, file: string, line: number): Occurrence => ({
    entry: { name, ...parseImageName(name), source, tag },
    location: { file, line },
    path: 'images[0]',
    sourceLine: line + 1,
  });

  it('keeps one entry per canonical image and tag, remembering every place', () => {
    const { entries, problems } = mergeEntries([
      occurrence('ubuntu', 's1', 't1', 'a.yaml', 3),
      occurrence('docker.io/starlingx/x', 's1', 't1', 'a.yaml', 7),
      occurrence('docker.io/library/ubuntu', 's1', 't1', 'b.yaml', 3),
      occurrence('index.docker.io/library/ubuntu', 's1', 't1', 'c.yaml', 9),
    ]);
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.name)).toEqual(['ubuntu', 'docker.io/starlingx/x']);
    expect(entries[0]?.location).toEqual({ file: 'a.yaml', line: 3 });
    expect(entries[0]?.alsoAt).toEqual([
      { file: 'b.yaml', line: 3 },
      { file: 'c.yaml', line: 9 },
    ]);
  });

  it('keeps different tags of one image apart', () => {
    const { entries } = mergeEntries([occurrence('ubuntu', 's', 't1', 'a', 1), occurrence('ubuntu', 's', 't2', 'a', 5)]);
    expect(entries).toHaveLength(2);
  });

  it('reports a different source for the same tag at the later place, naming both', () => {
    const { entries, problems } = mergeEntries([
      occurrence('ubuntu', 's1', 't1', 'a.yaml', 3),
      occurrence('docker.io/library/ubuntu', 's2', 't1', 'b.yaml', 8),
    ]);
    expect(entries).toHaveLength(1);
    expect(problems).toEqual([
      {
        file: 'b.yaml',
        line: 9,
        path: 'images[0].src_build_tag',
        image: 'docker.io/library/ubuntu',
        message:
          'docker.io/library/ubuntu:t1 is requested from two sources: "s1" at a.yaml:3 and "s2" at b.yaml:8; ' +
          'a tag can point at only one build, so make the entries agree or remove one',
      },
    ]);
  });
});
