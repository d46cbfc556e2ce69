// Which image a written name means (normalise.ts) against a catalog of several registries
// (catalog.ts): docker's short forms, mirrors keeping the source path, templated registries that
// leave only the path, Docker Hub preferred when a path is managed on several registries, and the
// namespaces that make an unlisted image `unmanaged`. Found worth a table of its own by mutation
// testing (docs/mutation-testing.md): the other refs tests use one registry and one namespace.
import { describe, expect, it } from 'vitest';
import { resolveName, type Resolution } from '../../../src/refs/normalise.js';
import { buildCatalog } from '../../../src/refs/catalog.js';
import { parseTagFileText } from '../../../src/config/index.js';

function catalog() {
  // quay.io first: Docker Hub is preferred for a bare path whatever the order
  const text = `images:
  - name: quay.io/starlingx/dex
    src_build_tag: b2
    tag: t2
  - name: docker.io/starlingx/dex
    src_build_tag: b1
    tag: t1
  - name: ghcr.io/other/thing
    src_build_tag: b3
    tag: t3
  - name: busybox
    src_build_tag: b4
    tag: t4
  - name: registry.local:9001/team/app
    src_build_tag: b5
    tag: t5
  - name: docker.io/starlingx/dex
    src_build_tag: b6
    tag: t6
  - name: index.docker.io/starlingx/dex
    src_build_tag: b1
    tag: t7
  - name: localhost/team/web
    src_build_tag: b8
    tag: t8
  - name: my.app
    src_build_tag: b9
    tag: t9
  - name: docker.io/starlingx/k8s
    src_build_tag: b10
    tag: t10
  - name: ghcr.io/library/tool
    src_build_tag: b11
    tag: t11
`;
  return buildCatalog(parseTagFileText(text, 'tags.yaml').entries);
}

function shown(resolution: Resolution | undefined): string {
  if (resolution === undefined) return 'nothing';
  return `${resolution.kind} ${resolution.kind === 'managed' ? resolution.image.name : resolution.name} (${resolution.via})`;
}

describe('buildCatalog', () => {
  it('keeps one image per canonical name with every tag and build tag, the namespaces, the needles', () => {
    const c = catalog();
    expect([...c.byName.keys()]).toEqual([
      'quay.io/starlingx/dex',
      'docker.io/starlingx/dex',
      'ghcr.io/other/thing',
      'docker.io/library/busybox',
      'registry.local:9001/team/app',
      'localhost/team/web',
      'docker.io/library/my.app',
      'docker.io/starlingx/k8s',
      'ghcr.io/library/tool',
    ]);
    const dex = c.byName.get('docker.io/starlingx/dex')!;
    expect(dex.tags).toEqual(['t1', 't6', 't7']);
    expect([...dex.buildTags]).toEqual([
      ['b1', ['t1', 't7']],
      ['b6', ['t6']],
    ]);
    expect(c.byRepository.get('starlingx/dex')?.map((i) => i.name)).toEqual(['quay.io/starlingx/dex', 'docker.io/starlingx/dex']);
    // only Docker Hub's library/ is the official images' namespace
    expect([...c.namespaces].sort()).toEqual(['docker.io/starlingx', 'ghcr.io/library', 'ghcr.io/other', 'localhost/team', 'quay.io/starlingx', 'registry.local:9001/team']);
    expect([...c.repositoryNamespaces]).toEqual([
      ['starlingx', ['quay.io', 'docker.io']],
      ['other', ['ghcr.io']],
      ['team', ['registry.local:9001', 'localhost']],
      ['library', ['ghcr.io']],
    ]);
    expect(c.needles).toEqual(['starlingx', 'other', 'busybox', 'team', 'my.app', 'library']);
    expect(c.hasLibraryImages).toBe(true);
  });

  it('without an official image, one-component names are not looked for', () => {
    const c = buildCatalog(parseTagFileText('images:\n  - name: docker.io/starlingx/dex\n    src_build_tag: b\n    tag: t\n', 'f').entries);
    expect(c.hasLibraryImages).toBe(false);
    expect(c.needles).toEqual(['starlingx']);
  });
});

describe('resolveName', () => {
  it.each<[string, boolean, string]>([
    // written in full or short
    ['starlingx/dex', false, 'managed docker.io/starlingx/dex (short)'],
    ['docker.io/starlingx/dex', false, 'managed docker.io/starlingx/dex (full)'],
    ['quay.io/starlingx/dex', false, 'managed quay.io/starlingx/dex (full)'],
    ['busybox', false, 'managed docker.io/library/busybox (short)'],
    ['library/busybox', false, 'managed docker.io/library/busybox (short)'],
    ['docker.io/busybox', false, 'managed docker.io/library/busybox (full)'],
    ['registry.local:9001/team/app', false, 'managed registry.local:9001/team/app (full)'],
    // in a managed namespace but listed nowhere
    ['starlingx/x', false, 'unmanaged docker.io/starlingx/x (short)'],
    ['registry.local:9001/team/z', false, 'unmanaged registry.local:9001/team/z (full)'],
    ['ghcr.io/other/z', false, 'unmanaged ghcr.io/other/z (full)'],
    // mirrors that keep the source path
    ['mirror:5000/quay.io/starlingx/dex', false, 'managed quay.io/starlingx/dex (mirror)'],
    ['mirror.io/docker.io/starlingx/x', false, 'unmanaged docker.io/starlingx/x (mirror)'],
    ['mirror:5000/ghcr.io/other/thing', false, 'managed ghcr.io/other/thing (mirror)'],
    // not an image the tag files could manage
    ['mirror:5000/starlingx/dex', false, 'nothing'],
    ['localhost/starlingx/dex', false, 'nothing'],
    ['other/z', false, 'nothing'],
    ['starlingx/x.tar.gz', false, 'nothing'],
    ['Bad/Name', false, 'nothing'],
    ['mirror:5000/Bad/x', false, 'nothing'],
    // after a templated registry only the path is known
    ['starlingx/dex', true, 'managed docker.io/starlingx/dex (templated-registry)'],
    ['other/thing', true, 'managed ghcr.io/other/thing (templated-registry)'],
    ['busybox', true, 'managed docker.io/library/busybox (templated-registry)'],
    ['team/app', true, 'managed registry.local:9001/team/app (templated-registry)'],
    ['docker.io/starlingx/dex', true, 'managed docker.io/starlingx/dex (templated-registry)'],
    ['other/nope', true, 'unmanaged ghcr.io/other/nope (templated-registry)'],
    ['starlingx/new', true, 'unmanaged docker.io/starlingx/new (templated-registry)'],
    ['team/other', true, 'unmanaged registry.local:9001/team/other (templated-registry)'],
    ['dex', true, 'unmanaged ghcr.io/library/dex (templated-registry)'], // library/ on ghcr.io is an ordinary managed namespace
    ['x.io/starlingx/dex', true, 'nothing'],
    ['starlingx/new.yaml', true, 'nothing'],
    ['Bad/Name', true, 'nothing'],
    ['x.io/Bad', true, 'nothing'],
    ['nowhere/x', true, 'nothing'],
    ['starlingx/Dex', true, 'nothing'],
    // more forms of host
    ['localhost/team/web', false, 'managed localhost/team/web (full)'],
    ['my.app', false, 'managed docker.io/library/my.app (short)'],
    ['mirror:5000/docker.io/Bad', false, 'nothing'],
    ['docker.io/quay.io/starlingx/dex', false, 'nothing'], // Docker Hub is no mirror
  ])('%j (templated registry: %s): %s', (name, templated, expected) => {
    expect(shown(resolveName(name, templated, catalog()))).toBe(expected);
  });
});
