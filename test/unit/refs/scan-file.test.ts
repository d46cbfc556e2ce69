// Every reference form and every trap of issue 9, one file text at a time (scanText is pure).
import { describe, expect, it } from 'vitest';
import { scanText } from '../../../src/refs/index.js';
import { catalogOf, SHA, STX } from './helpers.js';

interface Want {
  line?: number;
  image: string;
  tag: string | null;
  form: string;
  status: string;
  inComment?: boolean;
  note?: RegExp;
  tagLine?: number;
}

function scan(file: string, text: string, catalog = STX) {
  return scanText(text, file, catalog).map((ref) => ({
    line: ref.line,
    image: ref.image,
    tag: ref.tag,
    form: ref.form,
    status: ref.status,
    inComment: ref.inComment === true,
    note: ref.note ?? '',
    tagLine: ref.tagLine,
    column: ref.column,
  }));
}

function expectRefs(file: string, text: string, wanted: Want[]): void {
  const got = scan(file, text);
  expect(got.map((g) => ({ line: g.line, image: g.image, tag: g.tag, form: g.form, status: g.status }))).toEqual(
    wanted.map((w) => ({ line: w.line ?? 1, image: w.image, tag: w.tag, form: w.form, status: w.status })),
  );
  wanted.forEach((w, i) => {
    expect(got[i]?.inComment).toBe(w.inComment === true);
    if (w.note) expect(got[i]?.note).toMatch(w.note);
    if (w.tagLine !== undefined) expect(got[i]?.tagLine).toBe(w.tagLine);
  });
}

const DEX = 'docker.io/starlingx/dex';
const SRIOV = 'docker.io/starlingx/k8s-cni-sriov';
const OIDC = 'docker.io/starlingx/stx-oidc-client';

describe('inline name:tag in any text', () => {
  it.each([
    ['values.yaml', 'image: docker.io/starlingx/dex:stx.4.0-v2.14.0-1', 'stx.4.0-v2.14.0-1', 'inline', 'pinned'],
    ['values.yaml', 'image: "docker.io/starlingx/dex:stx.4.0-v2.13.0"', 'stx.4.0-v2.13.0', 'inline', 'drift'],
    ['values.yaml', "image: 'docker.io/starlingx/dex:stx.4.0-v2.14.0-1' # pinned", 'stx.4.0-v2.14.0-1', 'inline', 'pinned'],
    ['pod.yaml.j2', 'image: "{{ docker_registry.url }}/starlingx/dex:stx.4.0-v2.14.0-1"', 'stx.4.0-v2.14.0-1', 'templated', 'pinned'],
    ['env.sh', 'export X="docker.io/starlingx/dex:stx.4.0-v2.14.0-1"', 'stx.4.0-v2.14.0-1', 'inline', 'pinned'],
    ['images.py', "IMAGE = 'docker.io/starlingx/dex:v2.13.0'", 'v2.13.0', 'inline', 'drift'],
    ['Dockerfile', 'FROM docker.io/starlingx/dex:stx.4.0-v2.14.0-1 AS base', 'stx.4.0-v2.14.0-1', 'inline', 'pinned'],
    ['Dockerfile.centos', 'COPY --from=docker.io/starlingx/dex:old /a /b', 'old', 'inline', 'drift'],
    ['README.md', 'Run `docker pull starlingx/dex:latest` first.', 'latest', 'short', 'floating'],
    ['x.txt', `docker.io/starlingx/dex@sha256:${SHA}`, null, 'digest', 'pinned'],
    ['x.txt', `docker.io/starlingx/dex:stx.4.0-v2.14.0-1@sha256:${SHA}`, 'stx.4.0-v2.14.0-1', 'digest', 'pinned'],
    ['copy.sh', 'skopeo copy docker://docker.io/starlingx/dex:stx.4.0-v2.14.0-1 oci:x', 'stx.4.0-v2.14.0-1', 'inline', 'pinned'],
    ['main.go', 'const image = "docker.io/starlingx/dex:old" // the old one', 'old', 'inline', 'drift'],
    ['a.json', '{"image": "index.docker.io/starlingx/dex:stx.4.0-v2.14.0-1"}', 'stx.4.0-v2.14.0-1', 'inline', 'pinned'],
  ])('%s: %s', (file, text, tag, form, status) => {
    expectRefs(file, text, [{ image: DEX, tag, form, status }]);
  });
});

describe('name forms', () => {
  it.each([
    ['short form', 'image: starlingx/dex:stx.4.0-v2.14.0-1', 'short', 'pinned'],
    ['mirror keeping the source path', 'image: registry.local:9001/docker.io/starlingx/dex:stx.4.0-v2.14.0-1', 'mirror', 'pinned'],
    ['another mirror', 'image: mirror:5000/docker.io/starlingx/dex:v1', 'mirror', 'drift'],
    ['Jinja registry', 'image: {{ docker_registry.url }}/starlingx/dex:v1', 'templated', 'drift'],
    ['shell ${REGISTRY}', 'IMG=${REGISTRY}/starlingx/dex:stx.4.0-v2.14.0-1', 'templated', 'pinned'],
    ['shell $REGISTRY', 'IMG=$REGISTRY/starlingx/dex:stx.4.0-v2.14.0-1', 'templated', 'pinned'],
    ['templated mirror before a full name', 'image: {{ mirror }}/docker.io/starlingx/dex:stx.4.0-v2.14.0-1', 'templated', 'pinned'],
  ])('%s', (_name, text, form, status) => {
    expectRefs('x.yaml', text, [{ image: DEX, tag: text.slice(text.lastIndexOf(':') + 1), form, status }]);
  });

  it("docker.io/x means docker.io/library/x, x means docker.io/library/x (when a tag file manages one)", () => {
    const catalog = catalogOf('images:\n  - name: busybox\n    src_build_tag: "1.36"\n    tag: stx-1.36\n');
    const refs = scanText('a: docker.io/busybox:stx-1.36\nb: busybox:1.35\nc: library/busybox\n', 'x.yaml', catalog);
    expect(refs.map((r) => [r.line, r.image, r.tag, r.status])).toEqual([
      [1, 'docker.io/library/busybox', 'stx-1.36', 'pinned'],
      [2, 'docker.io/library/busybox', '1.35', 'drift'],
    ]);
  });
});

describe('split keys in YAML', () => {
  it('Helm repository + tag, reversed and not adjacent', () => {
    expectRefs('values.yaml', 'image:\n  tag: stx.4.0-v2.14.0-1\n  pullPolicy: IfNotPresent\n  repository: docker.io/starlingx/dex\nother: 1\n', [
      { line: 4, image: DEX, tag: 'stx.4.0-v2.14.0-1', form: 'split-keys', status: 'pinned', tagLine: 2 },
    ]);
  });
  it('Armada image + imageTag, quoted; the bare image is not untagged', () => {
    expectRefs('manifest.yaml', 'data:\n  values:\n    image: "docker.io/starlingx/dex"\n    imageTag: "stx.4.0-v2.13.0"\n    config:\n      a: b\n', [
      { line: 3, image: DEX, tag: 'stx.4.0-v2.13.0', form: 'split-keys', status: 'drift', tagLine: 4 },
    ]);
  });
  it('a registry sibling is prepended', () => {
    expectRefs('values.yaml', 'image:\n  registry: docker.io\n  repository: starlingx/dex\n  tag: stx.4.0-v2.14.0-1\n', [
      { line: 3, image: DEX, tag: 'stx.4.0-v2.14.0-1', form: 'split-keys', status: 'pinned' },
    ]);
  });
  it('Kustomize images: name + newTag, and newName + newTag (name not reported again)', () => {
    expectRefs('kustomization.yaml', 'images:\n- name: starlingx/dex\n  newTag: stx.4.0-v2.14.0-1\n- name: dex\n  newName: docker.io/starlingx/k8s-cni-sriov\n  newTag: v1\n', [
      { line: 2, image: DEX, tag: 'stx.4.0-v2.14.0-1', form: 'split-keys', status: 'pinned' },
      { line: 5, image: SRIOV, tag: 'v1', form: 'split-keys', status: 'drift' },
    ]);
  });
  it('list items are separate mappings; a mapping without a tag key leaves the inline reading', () => {
    expectRefs('x.yaml', '- repository: docker.io/starlingx/dex\n  tag: stx.4.0-v2.14.0-1\n- image: docker.io/starlingx/k8s-cni-sriov\n- tag: v9\n', [
      { line: 1, image: DEX, tag: 'stx.4.0-v2.14.0-1', form: 'split-keys', status: 'pinned' },
      { line: 3, image: SRIOV, tag: null, form: 'inline', status: 'floating' },
    ]);
  });
  it('keys in a Jinja template, around {% %} lines', () => {
    expectRefs('values.yaml.j2', 'image:\n  repository: {{ docker_registry.url }}/starlingx/dex\n{% if x %}\n  pullPolicy: Always\n{% endif %}\n  tag: {{ dex_tag }}\n', [
      { line: 2, image: DEX, tag: '{{ dex_tag }}', form: 'split-keys', status: 'unresolved' },
    ]);
  });
  it('an empty or null tag key is floating', () => {
    expectRefs('values.yaml', 'a:\n  repository: docker.io/starlingx/dex\n  tag: ""\nb:\n  repository: docker.io/starlingx/k8s-cni-sriov\n  tag:\n', [
      { line: 2, image: DEX, tag: '', form: 'split-keys', status: 'floating' },
      { line: 5, image: SRIOV, tag: null, form: 'split-keys', status: 'floating' },
    ]);
  });
  it('in a unified diff: + and context lines are the new text, - lines are not references', () => {
    const patch = [
      'From 1234 Mon Sep 17 00:00:00 2001',
      'Subject: [PATCH] move dex',
      '---',
      'diff --git a/values.yaml b/values.yaml',
      '--- a/values.yaml',
      '+++ b/values.yaml',
      '@@ -1,5 +1,5 @@',
      ' image:',
      '   repository: docker.io/starlingx/dex',
      '-  tag: stx.4.0-v2.13.0',
      '+  tag: stx.4.0-v2.14.0-1',
      '   pullPolicy: IfNotPresent',
      '-sriov: docker.io/starlingx/k8s-cni-sriov:master-centos-stable-latest',
      '+sriov: docker.io/starlingx/k8s-cni-sriov:stx.4.0-v2.2',
      '',
    ].join('\n');
    expectRefs('0001-move.patch', patch, [
      { line: 9, image: DEX, tag: 'stx.4.0-v2.14.0-1', form: 'split-keys', status: 'pinned', tagLine: 11 },
      { line: 14, image: SRIOV, tag: 'stx.4.0-v2.2', form: 'inline', status: 'pinned' },
    ]);
  });
});

describe('placeholders in tags', () => {
  it.each([
    ['stx.13.0-v1.0.12-@OS_CODENAME@', 'pinned', /matches stx\.13\.0-v1\.0\.12-bullseye, stx\.13\.0-v1\.0\.12-trixie/],
    ['stx.13.0-v1.0.11-@OS_CODENAME@', 'drift', undefined],
    ['stx.13.0-v1.0.12-${OS}', 'pinned', undefined],
    ['stx.13.0-v1.0.12-{{ os }}', 'pinned', undefined],
    ['${TAG}', 'unresolved', /variable/],
    ['{{ .Values.tag }}', 'unresolved', /variable/],
    ['$TAG', 'unresolved', /variable/],
    ['@TAG@', 'unresolved', /variable/],
    ['master-@OS@-stable-latest', 'floating', undefined],
  ])('%s: %s', (tag, status, note) => {
    expectRefs('x.yaml', `image: docker.io/starlingx/stx-oidc-client:${tag}`, [{ image: OIDC, tag, form: 'templated', status, ...(note ? { note } : {}) }]);
  });
  it('a tag added by code after the colon is unresolved, not untagged', () => {
    expectRefs('x.py', 'image = "docker.io/starlingx/dex:" + tag', [{ image: DEX, tag: null, form: 'inline', status: 'unresolved' }]);
  });
});

describe('statuses', () => {
  it.each([
    ['pinned in one of several tag files (one per OS)', 'docker.io/starlingx/stx-oidc-client:stx.13.0-v1.0.12-trixie', OIDC, 'pinned', undefined],
    ['drift to an old pin', 'docker.io/starlingx/stx-oidc-client:stx.13.0-v1.0.11', OIDC, 'drift', undefined],
    ['drift to the build tag names the managed tag', 'docker.io/starlingx/dex:master-centos-stable-20200204T162546Z.0', DEX, 'drift', /build tag .*stx\.4\.0-v2\.14\.0-1/],
    ['floating: no tag', 'image: docker.io/starlingx/dex', DEX, 'floating', /no tag/],
    ['floating: latest', 'docker.io/starlingx/dex:latest', DEX, 'floating', undefined],
    ['floating: -latest (LP 1854869)', 'docker.io/starlingx/k8s-cni-sriov:master-centos-stable-latest', SRIOV, 'floating', undefined],
    ['unmanaged: in the namespace, in no tag file', 'docker.io/starlingx/multus:v3.2.16', 'docker.io/starlingx/multus', 'unmanaged', /^not in the tag files$/],
    ['unmanaged, floating noted', 'docker.io/starlingx/rvmc', 'docker.io/starlingx/rvmc', 'unmanaged', /floating/],
    ['unmanaged, variable tag noted', 'docker.io/starlingx/rvmc:${T}', 'docker.io/starlingx/rvmc', 'unmanaged', /variable/],
  ])('%s', (_name, text, image, status, note) => {
    const [ref, ...rest] = scan('x.sh', text);
    expect(rest).toEqual([]);
    expect(ref).toMatchObject({ image, status });
    if (note) expect(ref?.note).toMatch(note);
    if (status === 'unmanaged') expect(scanText(text, 'x.sh', STX)[0]?.expected).toEqual([]);
  });

  it.each([
    ['values.yaml', 'image: docker.io/starlingx/dex:old  # retag: ignore (kept for the upgrade test)'],
    ['values.yaml', '# retag: ignore\nimage: docker.io/starlingx/dex:old'],
    ['main.go', '// retag: ignore\nconst image = "docker.io/starlingx/dex:old"'],
    ['deployment.yaml', '{{/* retag: ignore */}}\n        image: docker.io/starlingx/dex:old'],
    ['values.yaml', 'image:\n  repository: docker.io/starlingx/dex\n  tag: old # retag:ignore\n'],
  ])('ignored via retag: ignore: %s %j', (file, text) => {
    const refs = scanText(text, file, STX);
    expect(refs.map((r) => r.status)).toEqual(['ignored']);
    expect(refs[0]?.note).toMatch(/retag: ignore \(drift/);
  });

  it('a marker on a line of code does not reach the next line', () => {
    const refs = scanText('a: docker.io/starlingx/dex:old # retag: ignore\nb: docker.io/starlingx/dex:old\n', 'x.yaml', STX);
    expect(refs.map((r) => r.status)).toEqual(['ignored', 'drift']);
  });

  it.each([
    ['values.yaml', '# image: docker.io/starlingx/dex:old'],
    ['values.yaml', 'a: 1 # was docker.io/starlingx/dex:old'],
    ['run.sh', '  # docker run docker.io/starlingx/dex:old'],
    ['main.go', '// docker.io/starlingx/dex:old'],
    ['main.go', '/* a\n docker.io/starlingx/dex:old\n*/'],
    ['tpl.yaml', '{{/*\n image: docker.io/starlingx/dex:old\n*/}}'],
    ['pod.yaml.j2', '{# image: docker.io/starlingx/dex:old #}'],
    ['README.md', '<!-- docker.io/starlingx/dex:old -->'],
  ])('in a comment: %s %j', (file, text) => {
    const refs = scanText(text, file, STX);
    expect(refs.map((r) => [r.status, r.inComment])).toEqual([['drift', true]]);
  });

  it('# is a heading in Markdown and part of a URL anywhere', () => {
    expect(scanText('# Use docker.io/starlingx/dex:old', 'README.md', STX)[0]?.inComment).toBeUndefined();
    expect(scanText('x: "http://a/#x docker.io/starlingx/dex:old"', 'a.yaml', STX)[0]?.inComment).toBeUndefined();
  });
});

describe('not references', () => {
  it.each([
    ['same last component in another namespace', 'x.yaml', 'image: ghcr.io/dexidp/dex:v2.14.0\nb: quay.io/starlingx-mirror/dex:old'],
    ['pure template expressions', 'deployment.yaml', 'image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\nimage: {{ .Values.registry }}/{{ .Values.repo }}:{{ .Values.tag }}'],
    ['a registry URL containing the namespace', 'x.yaml', 'registry: oldregistry:5000/starlingx/docker.io\nurl: http://registry.local:9001/v2/starlingx/dex/manifests/old'],
    ['FROM ${BASE}', 'Dockerfile', 'ARG BASE\nFROM ${BASE}\nFROM ${BASE} AS build'],
    ['a build definition naming the image it makes', 'dex.stable_docker_image', 'BUILDER=docker\nLABEL=dex\nPROJECT=dex'],
    ['web addresses', 'README.md', 'See https://opendev.org/starlingx/dex and https://hub.docker.com/r/starlingx/dex/tags'],
    ['git projects and folders', 'zuul.yaml', 'required-projects:\n  - starlingx/dex\n  - name: starlingx/dex\nsrc: charts/starlingx/dex/values.yaml\ngit clone git@opendev.org:starlingx/dex'],
    ['a tag-file entry of another release', 'old-tags.yaml', 'images:\n  - name: docker.io/starlingx/dex\n    src_build_tag: master-centos-stable-20190101T000000Z.0\n    tag: stx.3.0-v2.14.0-1\n'],
    ['a half-templated name', 'deployment.yaml', 'image: {{ .Values.registry }}/starlingx/{{ .Values.name }}:v1\nimage: docker.io/starlingx/dex-{{ .Values.flavour }}:v1'],
    ['a file name in the namespace folder', 'x.sh', 'tar xf starlingx/dex.tar.gz'],
  ])('%s', (_name, file, text) => {
    expect(scanText(text, file, STX)).toEqual([]);
  });
});

describe('positions', () => {
  it('line and column of the name, 1-based, the diff prefix counted', () => {
    const [ref] = scanText('a: 1\n  image: "docker.io/starlingx/dex:old"\n', 'x.yaml', STX);
    expect([ref?.line, ref?.column, ref?.text]).toEqual([2, 11, 'docker.io/starlingx/dex:old']);
    const [split] = scanText('image:\n  repository: "docker.io/starlingx/dex"\n  tag: x\n', 'x.yaml', STX);
    expect([split?.line, split?.column, split?.text]).toEqual([2, 16, 'docker.io/starlingx/dex']);
  });
  it('CRLF lines are read like LF lines', () => {
    expect(scan('x.yaml', 'image:\r\n  repository: docker.io/starlingx/dex\r\n  tag: stx.4.0-v2.14.0-1\r\n').map((r) => r.status)).toEqual(['pinned']);
  });
});
