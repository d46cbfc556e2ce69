import { describe, expect, it } from 'vitest';
import { formatProblem, parseTagFileText, type ConfigProblem } from '../../../src/config/index.js';
import { MAX_PROBLEMS_PER_FILE, limitProblems } from '../../../src/config/parse.js';
import { countProblems } from '../../../src/config/problem.js';

const HEADER = '# yamllint disable rule:line-length\n---\n';

/** A StarlingX-style entry; `extra` lines are appended inside it. */
function entry(name: string, source: string, tag: string, ...extra: string[]): string {
  return [`  - name: ${name}`, `    src_build_tag: ${source}`, `    tag: ${tag}`, ...extra.map((l) => `    ${l}`)].join('\n') + '\n';
}

function problemsOf(text: string, file = 'stx.yaml'): ConfigProblem[] {
  return parseTagFileText(text, file).problems;
}

describe('parseTagFileText: valid files', () => {
  it('reads an entry with every field, normalised', () => {
    const text =
      HEADER +
      'images:\n' +
      '  - name: docker.io/starlingx/k8s-cni-sriov\n' +
      '    src_build_tag: master-centos-stable-20191203T153530Z.0\n' +
      '    src_ref: https://opendev.org/starlingx/integ/commit/dac417bd31ed36d455e94db4aabe5916367654d4\n' +
      '    # Tag determined based on release tag associated with upstream commit\n' +
      '    tag: stx.4.0-v2.2\n';
    expect(parseTagFileText(text, 'stx.yaml')).toEqual({
      problems: [],
      entries: [
        {
          name: 'docker.io/starlingx/k8s-cni-sriov',
          registry: 'docker.io',
          repository: 'starlingx/k8s-cni-sriov',
          source: 'master-centos-stable-20191203T153530Z.0',
          tag: 'stx.4.0-v2.2',
          srcRef: 'https://opendev.org/starlingx/integ/commit/dac417bd31ed36d455e94db4aabe5916367654d4',
          location: { file: 'stx.yaml', line: 4 },
          alsoAt: [],
        },
      ],
    });
  });

  it('leaves srcRef out when src_ref is not given', () => {
    const [only] = parseTagFileText(`images:\n${entry('ubuntu', 's', 't')}`, 'f.yaml').entries;
    expect(only).not.toHaveProperty('srcRef');
    expect(only).toMatchObject({ registry: 'docker.io', repository: 'library/ubuntu' });
  });

  it.each([
    ['1.10', '1.10'],
    ['1.0', '1.0'],
    ['"1.10"', '1.10'],
    ['010', '010'],
    ['true', 'true'],
    ['2020-02-12', '2020-02-12'],
  ])('keeps `tag: %s` as written (%j)', (written, tag) => {
    const { entries, problems } = parseTagFileText(`images:\n${entry('ubuntu', 'src', written)}`, 'f.yaml');
    expect(problems).toEqual([]);
    expect(entries[0]?.tag).toBe(tag);
  });

  it('reads every document of a file, lines counted across them', () => {
    const text = `${HEADER}images:\n${entry('a', 's', 't1')}---\n# second\nimages:\n${entry('b', 's', 't2')}---\n`;
    const { entries, problems } = parseTagFileText(text, 'multi.yaml');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.name, e.location.line])).toEqual([
      ['a', 4],
      ['b', 10],
    ]);
  });

  it('allows an explicit empty list and documents that are only comments', () => {
    expect(parseTagFileText('images: []\n---\n# nothing here yet\n', 'f.yaml')).toEqual({ entries: [], problems: [] });
  });

  it('keeps a repeated entry once and remembers where it was repeated', () => {
    const text = `images:\n${entry('ubuntu', 's', 't')}${entry('docker.io/library/ubuntu', 's', 't')}${entry('b', 's', 't')}`;
    const { entries, problems } = parseTagFileText(text, 'f.yaml');
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.name)).toEqual(['ubuntu', 'b']);
    expect(entries[0]?.location).toEqual({ file: 'f.yaml', line: 2 });
    expect(entries[0]?.alsoAt).toEqual([{ file: 'f.yaml', line: 5 }]);
  });

  it('accepts flow style', () => {
    const { entries, problems } = parseTagFileText('images: [{name: a, src_build_tag: s, tag: t}]\n', 'f.yaml');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
  });
});

describe('parseTagFileText: problems', () => {
  // Each case: the text, then the one expected problem (message checked with toContain).
  it.each<[string, string, Omit<ConfigProblem, 'file'>]>([
    [
      'unknown entry key with a suggestion',
      `images:\n${entry('a', 's', 't')}  - name: docker.io/starlingx/b\n    src_build_tg: s\n    tag: t\n`,
      { line: 6, path: 'images[1].src_build_tg', image: 'docker.io/starlingx/b', message: 'unknown key "src_build_tg"; did you mean src_build_tag?' },
    ],
    [
      'unknown entry key without a suggestion',
      `images:\n${entry('a', 's', 't', 'reason: upstream fix')}`,
      { line: 5, path: 'images[0].reason', image: 'a', message: 'an image entry takes only name, src_build_tag, src_digest, src_ref and tag (put notes in a # comment)' },
    ],
    ['unknown top-level key', `imagez: []\nimages:\n${entry('a', 's', 't')}`, { line: 1, message: 'unknown key "imagez"; did you mean images?' }],
    [
      'entry key at the top level',
      `images: []\ntag: x\n`,
      { line: 2, message: 'unknown key "tag" at the top of the document; tag belongs to an entry under images:' },
    ],
    ['no images list', `${HEADER}{}\n`, { line: 3, message: 'this document has no images: list' }],
    ['images misspelt', `${HEADER}imags:\n${entry('a', 's', 't')}`, { line: 3, message: 'unknown key "imags"; did you mean images?' }],
    ['images: with nothing under it', `${HEADER}images:\n`, { line: 3, message: 'images: is empty; list the images under it, or write images: [] if there is nothing to retag' }],
    ['images is a mapping', `images:\n  name: a\n`, { line: 1, message: 'images must be a list of entries ("- name: ..."), not a mapping' }],
    ['images is text', `images: a b\n`, { line: 1, message: 'images must be a list of entries ("- name: ..."), not text "a b"' }],
    ['document is a list', `- name: a\n`, { line: 1, message: 'a tag file document must be a mapping with an images: list, not a list' }],
    ['document is text', `just words\n`, { line: 1, message: 'a tag file document must be a mapping with an images: list, not text "just words"' }],
    ['entry is text', `images:\n  - docker.io/starlingx/a\n`, { line: 2, path: 'images[0]', message: 'an entry must be a mapping with name, src_build_tag and tag, not text "docker.io/starlingx/a"' }],
    ['entry is empty', `images:\n${entry('a', 's', 't')}  -\n`, { line: 5, path: 'images[1]', message: "the entry is empty; remove the lone '-'" }],
    ['entry is a list', `images:\n  - - a\n`, { line: 2, path: 'images[0]', message: 'not a list' }],
    ['name missing', `images:\n  - src_build_tag: s\n    tag: t\n`, { line: 2, path: 'images[0].name', message: 'name is missing; give the image name without a tag' }],
    ['tag missing', `images:\n  - name: a\n    src_build_tag: s\n`, { line: 2, path: 'images[0].tag', image: 'a', message: 'tag is missing; give the new tag to create' }],
    ['src_build_tag empty', `images:\n  - name: a\n    src_build_tag:\n    tag: t\n`, { line: 3, path: 'images[0].src_build_tag', image: 'a', message: 'src_build_tag is empty; give the existing tag to copy from' }],
    ['src_ref empty', `images:\n${entry('a', 's', 't', 'src_ref:')}`, { line: 5, path: 'images[0].src_ref', image: 'a', message: 'src_ref is empty; give the link to the source commit, or remove the line' }],
    ['tag is a mapping', `images:\n  - name: a\n    src_build_tag: s\n    tag:\n      v: 1\n`, { line: 4, path: 'images[0].tag', image: 'a', message: 'tag must be a single value, not a mapping' }],
    ['tag is a list', `images:\n${entry('a', 's', '[t1, t2]')}`, { line: 4, path: 'images[0].tag', image: 'a', message: 'tag must be a single value, not a list' }],
    ['invalid tag', `images:\n${entry('docker.io/starlingx/x', 's', '"a b"')}`, { line: 4, path: 'images[0].tag', image: 'docker.io/starlingx/x', message: `tag "a b" is not a valid tag; use letters, digits, '_', '.', '-' (max 128)` }],
    ['invalid src_build_tag', `images:\n${entry('a', '-s', 't')}`, { line: 3, path: 'images[0].src_build_tag', image: 'a', message: `src_build_tag "-s" is not a valid tag; a tag must start with a letter, a digit or '_'` }],
    ['tag equals src_build_tag', `images:\n${entry('a', 'same', 'same')}`, { line: 4, path: 'images[0].tag', image: 'a', message: 'tag is the same as src_build_tag' }],
    ['name with a tag', `images:\n${entry('ubuntu:22.04', 's', 't')}`, { line: 2, path: 'images[0].name', image: 'ubuntu:22.04', message: 'carries a tag; give the name only' }],
    ['name with a digest', `images:\n${entry('"ubuntu@sha256:abc"', 's', 't')}`, { line: 2, path: 'images[0].name', image: 'ubuntu@sha256:abc', message: 'carries a digest' }],
    ['name in upper case', `images:\n${entry('docker.io/StarlingX/a', 's', 't')}`, { line: 2, path: 'images[0].name', image: 'docker.io/StarlingX/a', message: 'repository paths must be lowercase' }],
    ['src_ref not http', `images:\n${entry('a', 's', 't', 'src_ref: git@opendev.org:starlingx/integ')}`, { line: 5, path: 'images[0].src_ref', image: 'a', message: 'is not an http(s) URL' }],
    [
      'same tag from two sources in one file',
      `images:\n${entry('ubuntu', 's1', 't')}${entry('docker.io/library/ubuntu', 's2', 't')}`,
      {
        line: 6,
        path: 'images[1].src_build_tag',
        image: 'docker.io/library/ubuntu',
        message: 'docker.io/library/ubuntu:t is requested from two sources: "s1" at stx.yaml:2 and "s2" at stx.yaml:5',
      },
    ],
    ['empty file', '', { message: 'tag file is empty; it needs an images: list' }],
    ['only comments', '# yamllint disable\n# nothing\n', { message: 'tag file is empty' }],
    ['only a document marker', HEADER, { message: 'tag file is empty' }],
    ['NUL characters', 'images:\u0000\n', { message: 'not a text file (it contains NUL bytes)' }],
    ['duplicate key', `images:\n${entry('a', 's', 't', 'tag: u')}`, { line: 5, message: 'duplicate key "tag"' }],
    ['YAML syntax error', `images:\n  - name: a\n   tag: b\n`, { line: 3, message: 'invalid YAML: ' }],
    ['a JavaScript function', `images:\n  - name: !!js/function 'function () {}'\n`, { line: 2, message: 'YAML tag !!js/function is not allowed' }],
    ['an alias', `images:\n  - name: &n a\n    src_build_tag: s\n    tag: t\n  - name: *n\n`, { line: 5, message: 'YAML alias *n is not allowed' }],
  ])('%s', (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    const { message, ...place } = expected;
    const [problem] = problems;
    expect(problem).toMatchObject({ file: 'stx.yaml', ...place });
    expect(problem?.message).toContain(message);
    // Fields not expected are absent, not set to undefined or guessed.
    for (const key of ['line', 'path', 'image'] as const) {
      if (!(key in expected)) expect(problem).not.toHaveProperty(key);
    }
  });

  it('reports every problem of every entry and document together, in line order', () => {
    const text =
      `images:\n` +
      `  - name: Bad\n    src_build_tag: s\n    tag: t\n` + // 2..4
      `  - name: b\n    src_build_tag: s\n    tag: "x y"\n    note: n\n` + // 5..8
      `  - name: c\n    src_build_tag: s\n    tag: t\n` + // 9..11 (valid)
      `---\nimages:\n  - plain\n`; // 12..14
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [2, 'images[0].name'],
      [7, 'images[1].tag'],
      [8, 'images[1].note'],
      [14, 'images[0]'],
    ]);
    expect(parseTagFileText(text, 'stx.yaml').entries.map((e) => e.name)).toEqual(['c']);
  });

  it('does not also report a required key as missing when an unknown key is its misspelling', () => {
    const problems = problemsOf(`images:\n  - name: a\n    srcbuildtag: s\n    tagg: t\n`);
    expect(problems.map((p) => p.message)).toEqual([
      'unknown key "srcbuildtag"; did you mean src_build_tag?',
      'unknown key "tagg"; did you mean tag?',
    ]);
  });

  it('reports tag and src_build_tag problems once, not again as "the same"', () => {
    expect(problemsOf(`images:\n${entry('a', '"a b"', '"a b"')}`).map((p) => p.path)).toEqual([
      'images[0].src_build_tag',
      'images[0].tag',
    ]);
  });

  it(`stops after ${MAX_PROBLEMS_PER_FILE} problems in a file and says so`, () => {
    const text = `images:\n${'  - x\n'.repeat(MAX_PROBLEMS_PER_FILE * 10)}`;
    const started = performance.now();
    const problems = problemsOf(text);
    expect(performance.now() - started).toBeLessThan(10_000); // typically milliseconds; generous for a busy machine and mutation testing's instrumented code
    expect(problems).toHaveLength(MAX_PROBLEMS_PER_FILE + 1);
    expect(problems.at(-1)).toEqual({
      file: 'stx.yaml',
      line: MAX_PROBLEMS_PER_FILE + 2,
      message: `stopped after ${MAX_PROBLEMS_PER_FILE} problems in this file; fix those and run again`,
      truncated: true,
    });
    expect(countProblems(problems)).toBe(`${MAX_PROBLEMS_PER_FILE}+`);
  });

  it('limitProblems is idempotent: applied again with more problems, still one note, never counted', () => {
    const many = Array.from({ length: MAX_PROBLEMS_PER_FILE + 5 }, (_, i): ConfigProblem => ({ file: 'f.yaml', line: i + 1, message: `p${i}` }));
    const once = limitProblems(many);
    const twice = limitProblems([{ file: 'f.yaml', line: 1, message: 'a cross-file conflict' }, ...once]);
    expect(twice).toHaveLength(MAX_PROBLEMS_PER_FILE + 1);
    expect(twice.filter((p) => p.truncated)).toHaveLength(1);
    expect(twice[0]!.message).toBe('a cross-file conflict');
    // a note that sorted in before the cut (a conflict added after it) is not kept as a problem
    const noteFirst = limitProblems([once.at(-1)!, ...many]);
    expect(noteFirst.filter((p) => p.truncated)).toHaveLength(1);
    expect(noteFirst.slice(0, MAX_PROBLEMS_PER_FILE)).toEqual(many.slice(0, MAX_PROBLEMS_PER_FILE));
    // a short list that once had a note keeps saying checking stopped
    expect(limitProblems(once.slice(-3)).filter((p) => p.truncated)).toHaveLength(1);
    expect(limitProblems(many.slice(0, 3))).toEqual(many.slice(0, 3));
    expect(countProblems(many.slice(0, 1))).toBe('1');
  });
});

describe('formatProblem', () => {
  it.each<[ConfigProblem, string]>([
    [
      { file: 'stx.yaml', line: 12, path: 'images[3].tag', image: 'docker.io/starlingx/x', message: 'tag "a b" is not a valid tag' },
      'stx.yaml:12: images[3].tag (docker.io/starlingx/x): tag "a b" is not a valid tag',
    ],
    [{ file: 'stx.yaml', line: 4, path: 'images[0]', message: 'm' }, 'stx.yaml:4: images[0]: m'],
    [{ file: 'stx.yaml', line: 1, message: 'unknown key "x"' }, 'stx.yaml:1: unknown key "x"'],
    [{ file: 'dir/stx.yaml', message: 'file not found; check the path' }, 'dir/stx.yaml: file not found; check the path'],
  ])('%j', (problem, text) => {
    expect(formatProblem(problem)).toBe(text);
  });
});
