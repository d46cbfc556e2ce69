// Edges of scanText (scan-file.ts) that scan-file.test.ts does not reach, found by mutation
// testing (docs/mutation-testing.md): whole findings (place, text, note, site for --fix, why --fix
// must leave one alone), registry siblings that are templated, empty or end in a slash, a digest
// key, a marker above the tag key, patches touching files of different comment syntax, and bare
// names with and without an image context.
import { describe, expect, it } from 'vitest';
import { scanText, type ScannedRef } from '../../../src/refs/scan-file.js';
import { SHA, STX } from './helpers.js';

const DEX = 'docker.io/starlingx/dex';
const DEX_TAGS = ['stx.4.0-v2.14.0-1'];
const NO_TAG = 'no tag: docker pulls latest';

function ref(fields: Partial<ScannedRef> & Pick<ScannedRef, 'line' | 'column' | 'text' | 'form' | 'status'>): ScannedRef {
  return { image: DEX, tag: null, expected: DEX_TAGS, ...fields };
}

const site = (line: number, start: number, end: number, current: string, insertPrefix = '') => ({ line, start, end, current, insertPrefix });

describe('scanText: split keys', () => {
  it.each<[string, string, ScannedRef[]]>([
    [
      'a templated registry sibling leaves the path to match',
      'image:\n  registry: "{{ .Values.reg }}"\n  repository: starlingx/dex\n  tag: old\n',
      [ref({ line: 3, column: 15, tag: 'old', text: 'starlingx/dex', form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    ['a registry sibling ending in a slash, of another registry', 'image:\n  registry: quay.io/\n  repository: starlingx/dex\n  tag: old\n', []],
    [
      'an empty registry sibling is no registry',
      'image:\n  registry: ""\n  repository: starlingx/dex\n  tag: old\n',
      [ref({ line: 3, column: 15, tag: 'old', text: 'starlingx/dex', form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    [
      'a repository with its own templated registry ignores the registry sibling',
      'image:\n  registry: quay.io\n  repository: "{{ r }}/starlingx/dex"\n  tag: old\n',
      [ref({ line: 3, column: 16, tag: 'old', text: '{{ r }}/starlingx/dex', form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    [
      'a digest key: pinned, and --fix must leave it',
      `image:\n  repository: docker.io/starlingx/dex\n  digest: sha256:${SHA}\n`,
      [
        ref({
          line: 2,
          column: 15,
          text: DEX,
          form: 'split-keys',
          status: 'pinned',
          note: 'pinned by digest; the digest is not checked (retag refs contacts no registry)',
          fixBlocked: 'also pinned by the digest key: update the digest by hand',
        }),
      ],
    ],
    [
      'a marker above the tag key ignores the reference',
      'image:\n  repository: docker.io/starlingx/dex\n  # retag: ignore\n  tag: old\n',
      [ref({ line: 2, column: 15, tag: 'old', text: DEX, form: 'split-keys', status: 'ignored', note: 'retag: ignore (drift)', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    [
      'an unmanaged image in the namespace',
      'image:\n  repository: docker.io/starlingx/multus\n  tag: v1\n',
      [ref({ line: 2, column: 15, image: 'docker.io/starlingx/multus', tag: 'v1', text: 'docker.io/starlingx/multus', form: 'split-keys', status: 'unmanaged', expected: [], note: 'not in the tag files', tagLine: 3, site: site(2, 7, 9, 'v1') })],
    ],
    [
      'a repository value with its own tag is read inline, the tag key aside',
      'image:\n  repository: docker.io/starlingx/dex:old\n  tag: v1\n',
      [ref({ line: 2, column: 15, tag: 'old', text: 'docker.io/starlingx/dex:old', form: 'inline', status: 'drift', site: site(1, 38, 41, 'old') })],
    ],
    [
      'a registry sibling ending in a slash',
      'image:\n  registry: docker.io/\n  repository: starlingx/dex\n  tag: old\n',
      [ref({ line: 3, column: 15, tag: 'old', text: 'starlingx/dex', form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    [
      'a mirror registry sibling in front of a full name',
      'image:\n  registry: mirror:5000\n  repository: docker.io/starlingx/dex\n  tag: old\n',
      [ref({ line: 3, column: 15, tag: 'old', text: DEX, form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    ['a repository value that is more than one name is not a split reference', 'image:\n  repository: my starlingx/dex\n  tag: old\n', []],
    [
      'another reference in a comment on the repository line is its own',
      'image:\n  repository: docker.io/starlingx/dex # was docker.io/starlingx/k8s-cni-sriov:old\n  tag: old\n',
      [
        ref({ line: 2, column: 15, tag: 'old', text: DEX, form: 'split-keys', status: 'drift', tagLine: 3, site: site(2, 7, 10, 'old') }),
        ref({
          line: 2,
          column: 45,
          image: 'docker.io/starlingx/k8s-cni-sriov',
          tag: 'old',
          text: 'docker.io/starlingx/k8s-cni-sriov:old',
          form: 'inline',
          status: 'drift',
          expected: ['stx.4.0-v2.2'],
          inComment: true,
          site: site(1, 78, 81, 'old'),
        }),
      ],
    ],
    [
      'findings in line order, split and inline mixed',
      'a: docker.io/starlingx/dex:old\nimage:\n  repository: docker.io/starlingx/dex\n  tag: old\n',
      [
        ref({ line: 1, column: 4, tag: 'old', text: 'docker.io/starlingx/dex:old', form: 'inline', status: 'drift', site: site(0, 27, 30, 'old') }),
        ref({ line: 3, column: 15, tag: 'old', text: DEX, form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') }),
      ],
    ],
    [
      'Armada image + imageTag on the next line, a comment after the image',
      'image: "docker.io/starlingx/dex"  # c\nimageTag: old\n',
      [ref({ line: 1, column: 9, tag: 'old', text: DEX, form: 'split-keys', status: 'drift', tagLine: 2, site: site(1, 10, 13, 'old') })],
    ],
    [
      'a StarlingX @VAR@ registry sibling is templated',
      'image:\n  registry: "@REGISTRY@"\n  repository: starlingx/dex\n  tag: old\n',
      [ref({ line: 3, column: 15, tag: 'old', text: 'starlingx/dex', form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    [
      'a mirror registry sibling ending in slashes',
      'image:\n  registry: mirror:5000/docker.io//\n  repository: starlingx/dex\n  tag: old\n',
      [ref({ line: 3, column: 15, tag: 'old', text: 'starlingx/dex', form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    [
      'an empty registry sibling',
      'image:\n  registry:\n  repository: starlingx/dex\n  tag: old\n',
      [ref({ line: 3, column: 15, tag: 'old', text: 'starlingx/dex', form: 'split-keys', status: 'drift', tagLine: 4, site: site(3, 7, 10, 'old') })],
    ],
    [
      'a repository value with a digest is read inline, not as a bare name',
      `image:\n  repository: docker.io/starlingx/dex@sha256:${SHA}\n  tag: old\n`,
      [
        ref({
          line: 2,
          column: 15,
          text: `docker.io/starlingx/dex@sha256:${SHA}`,
          form: 'digest',
          status: 'pinned',
          note: 'pinned by digest; the digest is not checked (retag refs contacts no registry)',
          site: site(1, 37, 37, '', ':'),
          fixBlocked: 'also pinned by digest: update the digest by hand',
        }),
      ],
    ],
  ])('%s', (_name, text, refs) => {
    // strict: a field that does not apply is absent, not set to undefined
    expect(scanText(text, 'values.yaml', STX)).toStrictEqual(refs);
  });
});

describe('scanText: inline references', () => {
  it('several on a line, in order, each with where --fix writes', () => {
    expect(scanText('b docker.io/starlingx/dex:old a docker.io/starlingx/k8s-cni-sriov\nstarlingx/dex\ndocker run starlingx/dex\n', 'x.sh', STX)).toEqual([
      ref({ line: 1, column: 3, tag: 'old', text: 'docker.io/starlingx/dex:old', form: 'inline', status: 'drift', site: site(0, 26, 29, 'old') }),
      ref({
        line: 1,
        column: 33,
        image: 'docker.io/starlingx/k8s-cni-sriov',
        text: 'docker.io/starlingx/k8s-cni-sriov',
        form: 'inline',
        status: 'floating',
        expected: ['stx.4.0-v2.2'],
        note: NO_TAG,
        site: site(0, 65, 65, '', ':'),
      }),
      // a bare short name only counts with an image context (`docker run`), not on a line of its own
      ref({ line: 3, column: 12, text: 'starlingx/dex', form: 'short', status: 'floating', note: NO_TAG, site: site(2, 24, 24, '', ':') }),
    ]);
  });

  it('bare names under image keys: `name:` alone is no image, `repository:` alone cannot be fixed', () => {
    expect(scanText('chart:\n  name: starlingx/dex\nimage:\n  image: starlingx/dex\nx:\n  repository: starlingx/dex\n', 'v.yaml', STX)).toEqual([
      ref({ line: 4, column: 10, text: 'starlingx/dex', form: 'short', status: 'floating', note: NO_TAG, site: site(3, 22, 22, '', ':') }),
      ref({
        line: 6,
        column: 15,
        text: 'starlingx/dex',
        form: 'short',
        status: 'floating',
        note: NO_TAG,
        site: site(5, 27, 27, '', ':'),
        fixBlocked: 'a repository: key without a tag key beside it: add the tag key (e.g. tag:) by hand',
      }),
    ]);
  });

  it('a templated registry before a bare name needs no image context', () => {
    expect(scanText('x: "{{ reg }}/starlingx/dex"\n', 'x.sh', STX)).toEqual([
      ref({ line: 1, column: 5, text: '{{ reg }}/starlingx/dex', form: 'templated', status: 'floating', note: NO_TAG, site: site(0, 27, 27, '', ':') }),
    ]);
  });

  it('a tag added by code has nowhere for --fix to write', () => {
    expect(scanText('image = "docker.io/starlingx/dex:" + tag\n', 'x.py', STX)).toStrictEqual([
      ref({ line: 1, column: 10, text: 'docker.io/starlingx/dex:', form: 'inline', status: 'unresolved', note: 'the tag is added by code after the name; the tag file says stx.4.0-v2.14.0-1' }),
    ]);
  });

  it('forms: inside a template expression, a placeholder in the tag; an exact note when ignored', () => {
    expect(scanText("i: \"{{ x | default('docker.io/starlingx/dex') }}\"\nj: docker.io/starlingx/dex:v1-${OS}\nk: docker.io/starlingx/dex:old # retag: ignore\nl: starlingx/dex@sha256:" + SHA + '\n', 'v.yaml', STX)).toStrictEqual([
      ref({ line: 1, column: 21, text: DEX, form: 'templated', status: 'floating', note: NO_TAG, site: site(0, 43, 43, '', ':') }),
      ref({ line: 2, column: 4, tag: 'v1-${OS}', text: 'docker.io/starlingx/dex:v1-${OS}', form: 'templated', status: 'drift', site: site(1, 27, 35, 'v1-${OS}') }),
      ref({ line: 3, column: 4, tag: 'old', text: 'docker.io/starlingx/dex:old', form: 'inline', status: 'ignored', note: 'retag: ignore (drift)', site: site(2, 27, 30, 'old') }),
      ref({
        line: 4,
        column: 4,
        text: `starlingx/dex@sha256:${SHA}`,
        form: 'digest',
        status: 'pinned',
        note: 'pinned by digest; the digest is not checked (retag refs contacts no registry)',
        site: site(3, 16, 16, '', ':'),
        fixBlocked: 'also pinned by digest: update the digest by hand',
      }),
    ]);
  });

  it('an ignored reference keeps its own note inside the ignore note', () => {
    const build = 'master-centos-stable-20200204T162546Z.0';
    const note = 'retag: ignore (drift: the build tag (src_build_tag) of stx.4.0-v2.14.0-1)';
    expect(scanText(`k: docker.io/starlingx/dex:${build} # retag: ignore\nimage:\n  repository: docker.io/starlingx/dex # retag: ignore\n  tag: ${build}\n`, 'v.yaml', STX).map((r) => r.note)).toEqual([note, note]);
  });

  it('a flow mapping is read inline', () => {
    expect(scanText('image: {repository: docker.io/starlingx/dex, tag: old}\n', 'v.yaml', STX)).toEqual([
      ref({ line: 1, column: 21, text: DEX, form: 'inline', status: 'floating', note: NO_TAG, site: site(0, 43, 43, '', ':') }),
    ]);
  });

  it('a text without any needle is not read at all', () => {
    expect(scanText('image: docker.io/other/dex:old\n', 'v.yaml', STX)).toEqual([]);
  });
});

describe('scanText: patches', () => {
  it('each patched file with its own comment syntax; positions count the diff prefix', () => {
    const patch = [
      '--- a/v.yaml',
      '+++ b/v.yaml',
      '@@ -1,1 +1,1 @@',
      '-x',
      '+a: docker.io/starlingx/dex:old # c',
      '--- a/README.md',
      '+++ b/README.md',
      '@@ -1,1 +1,1 @@',
      '-x',
      '+# docker.io/starlingx/dex:old',
      '--- a/m.go',
      '+++ b/m.go',
      '@@ -1,1 +1,1 @@',
      '-x',
      '+// docker.io/starlingx/dex:old',
      '+b: docker.io/starlingx/dex',
      '',
    ].join('\n').replace('@@ -1,1 +1,1 @@\n-x\n+// ', '@@ -1,1 +1,2 @@\n-x\n+// ');
    expect(scanText(patch, 'x.patch', STX)).toEqual([
      ref({ line: 5, column: 5, tag: 'old', text: 'docker.io/starlingx/dex:old', form: 'inline', status: 'drift', site: site(4, 28, 31, 'old') }),
      ref({ line: 10, column: 4, tag: 'old', text: 'docker.io/starlingx/dex:old', form: 'inline', status: 'drift', site: site(9, 27, 30, 'old') }),
      ref({ line: 15, column: 5, tag: 'old', text: 'docker.io/starlingx/dex:old', form: 'inline', status: 'drift', inComment: true, site: site(14, 28, 31, 'old') }),
      ref({ line: 16, column: 5, text: DEX, form: 'inline', status: 'floating', note: NO_TAG, site: site(15, 27, 27, '', ':') }),
    ]);
  });

  it('a split reference whose tag key was changed by the patch', () => {
    const patch = ['--- a/v.yaml', '+++ b/v.yaml', '@@ -1,3 +1,3 @@', ' image:', '   repository: docker.io/starlingx/dex', '-  tag: a', '+  tag: old # c', ''].join('\n');
    expect(scanText(patch, 'x.patch', STX)).toStrictEqual([
      ref({ line: 5, column: 16, tag: 'old', text: DEX, form: 'split-keys', status: 'drift', tagLine: 7, site: site(6, 8, 11, 'old') }),
    ]);
  });

  it('a split reference whose tag key is a context line cannot be fixed in the patch', () => {
    const patch = ['--- a/v.yaml', '+++ b/v.yaml', '@@ -1,3 +1,3 @@', ' image:', '-  repository: docker.io/starlingx/k8s-cni-sriov', '+  repository: docker.io/starlingx/dex', '   tag: old', ''].join('\n');
    expect(scanText(patch, 'x.patch', STX)).toStrictEqual([
      ref({
        line: 6,
        column: 16,
        tag: 'old',
        text: DEX,
        form: 'split-keys',
        status: 'drift',
        tagLine: 7,
        site: site(6, 8, 11, 'old'),
        fixBlocked: 'a context line of a patch: fix the file the patch applies to, or the patch by hand',
      }),
    ]);
  });
});
