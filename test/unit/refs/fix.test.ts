// --fix as a pure edit: byte-exact output, idempotent, CRLF and no final newline kept, ambiguous
// references listed and left alone.
import { describe, expect, it } from 'vitest';
import { applyEdits, EditConflictError, fixRefs } from '../../../src/refs/fix.js';
import { scanText } from '../../../src/refs/index.js';
import { SHA, STX } from './helpers.js';

function fix(file: string, text: string, includeComments = false) {
  return fixRefs(text, scanText(text, file, STX), includeComments);
}

describe('--fix edits', () => {
  const before = [
    '# chart values',
    'image:',
    '  repository: "docker.io/starlingx/dex"   # the IdP',
    "  tag: 'stx.4.0-v2.13.0'",
    'sriov: docker.io/starlingx/k8s-cni-sriov:master-centos-stable-latest # floats',
    'bare: docker.io/starlingx/k8s-cni-sriov',
    'keep: docker.io/starlingx/dex:old  # retag: ignore',
    '# sriov: docker.io/starlingx/k8s-cni-sriov:old',
    'oidc: docker.io/starlingx/stx-oidc-client:stx.13.0-v1.0.11',
    'tmpl: docker.io/starlingx/stx-oidc-client:stx.13.0-v1.0.11-@OS_CODENAME@',
  ];
  const after = [
    '# chart values',
    'image:',
    '  repository: "docker.io/starlingx/dex"   # the IdP',
    "  tag: 'stx.4.0-v2.14.0-1'",
    'sriov: docker.io/starlingx/k8s-cni-sriov:stx.4.0-v2.2 # floats',
    'bare: docker.io/starlingx/k8s-cni-sriov:stx.4.0-v2.2',
    'keep: docker.io/starlingx/dex:old  # retag: ignore',
    '# sriov: docker.io/starlingx/k8s-cni-sriov:old',
    'oidc: docker.io/starlingx/stx-oidc-client:stx.13.0-v1.0.11',
    'tmpl: docker.io/starlingx/stx-oidc-client:stx.13.0-v1.0.12-@OS_CODENAME@',
  ];

  it.each([
    ['LF, final newline', '\n', '\n'],
    ['CRLF, final newline', '\r\n', '\r\n'],
    ['LF, no final newline', '\n', ''],
    ['CRLF, no final newline', '\r\n', ''],
  ])('changes only the tag text, byte for byte (%s)', (_name, eol, last) => {
    const result = fix('values.yaml', before.join(eol) + last);
    expect(result.text).toBe(after.join(eol) + last);
    expect(result.edits).toBe(4);
  });

  it('says what it changed and lists ambiguous ones with their candidates', () => {
    const refs = scanText(before.join('\n'), 'values.yaml', STX);
    const { outcomes } = fixRefs(before.join('\n'), refs, false);
    const byLine = new Map(refs.map((ref, i) => [ref.line, outcomes[i]]));
    expect(byLine.get(3)).toEqual({ action: 'changed', from: 'stx.4.0-v2.13.0', to: 'stx.4.0-v2.14.0-1' });
    expect(byLine.get(6)).toEqual({ action: 'changed', from: null, to: 'stx.4.0-v2.2' });
    expect(byLine.get(7)).toBeUndefined(); // ignored
    expect(byLine.get(8)).toMatchObject({ action: 'left', reason: expect.stringMatching(/comment/) });
    expect(byLine.get(9)).toEqual({ action: 'ambiguous', candidates: ['stx.13.0-v1.0.12-bullseye', 'stx.13.0-v1.0.12-trixie'] });
    expect(byLine.get(10)).toEqual({ action: 'changed', from: 'stx.13.0-v1.0.11-@OS_CODENAME@', to: 'stx.13.0-v1.0.12-@OS_CODENAME@' });
  });

  it('is idempotent: a second run changes nothing', () => {
    for (const eol of ['\n', '\r\n']) {
      const once = fix('values.yaml', before.join(eol)).text;
      const twice = fix('values.yaml', once);
      expect(twice.edits).toBe(0);
      expect(twice.text).toBe(once);
    }
  });

  it('--all rewrites comments too', () => {
    expect(fix('values.yaml', '# a: docker.io/starlingx/dex:old\n', true).text).toBe('# a: docker.io/starlingx/dex:stx.4.0-v2.14.0-1\n');
  });

  it.each([
    ['an empty tag key', 'image:\n  repository: docker.io/starlingx/dex\n  tag:\n', 'image:\n  repository: docker.io/starlingx/dex\n  tag: stx.4.0-v2.14.0-1\n'],
    ['an empty tag key with a comment', 'image:\n  repository: docker.io/starlingx/dex\n  tag: # set me\n', 'image:\n  repository: docker.io/starlingx/dex\n  tag: stx.4.0-v2.14.0-1 # set me\n'],
    ['an empty quoted tag', 'image:\n  repository: docker.io/starlingx/dex\n  tag: ""\n', 'image:\n  repository: docker.io/starlingx/dex\n  tag: "stx.4.0-v2.14.0-1"\n'],
    ['a null tag', 'image:\n  repository: docker.io/starlingx/dex\n  tag: null\n', 'image:\n  repository: docker.io/starlingx/dex\n  tag: stx.4.0-v2.14.0-1\n'],
    ['Armada imageTag', '    image: "docker.io/starlingx/dex"\n    imageTag: "v1"\n', '    image: "docker.io/starlingx/dex"\n    imageTag: "stx.4.0-v2.14.0-1"\n'],
    ['a templated registry', 'image: "{{ docker_registry.url }}/starlingx/dex:master-centos-stable-latest"', 'image: "{{ docker_registry.url }}/starlingx/dex:stx.4.0-v2.14.0-1"'],
    ['a mirror', 'x=registry.local:9001/docker.io/starlingx/dex', 'x=registry.local:9001/docker.io/starlingx/dex:stx.4.0-v2.14.0-1'],
    ['a Jinja default()', "i: \"{{ x | default('docker.io/starlingx/dex') }}\"", "i: \"{{ x | default('docker.io/starlingx/dex:stx.4.0-v2.14.0-1') }}\""],
    ['non-ASCII text around it', 'é: "docker.io/starlingx/dex:v1" # ✓ déjà', 'é: "docker.io/starlingx/dex:stx.4.0-v2.14.0-1" # ✓ déjà'],
  ])('%s', (_name, text, expected) => {
    expect(fix('values.yaml', text).text).toBe(expected);
  });

  it.each([
    ['a repository key without a tag key (the chart adds the tag)', 'values.yaml', 'image:\n  repository: docker.io/starlingx/dex\n', /tag key/],
    ['a reference pinned by digest too', 'x.yaml', `a: docker.io/starlingx/dex:old@sha256:${SHA}`, /digest/],
    ['a placeholder with one candidate', 'x.yaml', 'a: docker.io/starlingx/dex:v1-@OS@', /placeholder/],
  ])('leaves alone %s', (_name, file, text, reason) => {
    const result = fix(file, text);
    expect(result.text).toBe(text);
    expect(result.outcomes.find((o) => o !== undefined)).toMatchObject({ action: 'left', reason: expect.stringMatching(reason) });
  });

  it('in a patch: fixes + lines, leaves context lines (they must match the patched file)', () => {
    const patch = ['--- a/v.yaml', '+++ b/v.yaml', '@@ -1,2 +1,2 @@', ' a: docker.io/starlingx/dex:old', '-b: 1', '+b: docker.io/starlingx/k8s-cni-sriov:old', ''].join('\n');
    const result = fix('x.patch', patch);
    expect(result.text).toBe(patch.replace('k8s-cni-sriov:old', 'k8s-cni-sriov:stx.4.0-v2.2'));
    expect(result.outcomes).toEqual([{ action: 'left', reason: expect.stringMatching(/context line/) }, { action: 'changed', from: 'old', to: 'stx.4.0-v2.2' }]);
  });

  it('refuses to edit a text that no longer holds what was scanned', () => {
    const refs = scanText('a: docker.io/starlingx/dex:old\n', 'x.yaml', STX);
    const site = refs[0]?.site;
    expect(site).toBeDefined();
    expect(() => applyEdits('a: docker.io/starlingx/dex:new\n', [{ site: site!, from: 'old', to: 'x' }])).toThrow(EditConflictError);
  });
});
