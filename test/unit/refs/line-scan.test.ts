// The inline token finder (line-scan.ts) on its own: where a name, its tag, digest and templated
// registry prefix are on the line, and what is not a token. normalise.ts decides later whether a
// token names a managed image. Found worth a table of its own by mutation testing
// (docs/mutation-testing.md).
import { describe, expect, it } from 'vitest';
import { findInlineTokens, type InlineToken } from '../../../src/refs/line-scan.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function token(fields: Partial<InlineToken> & Pick<InlineToken, 'start' | 'end' | 'name' | 'nameStart' | 'nameEnd' | 'tagStart'>): InlineToken {
  return { tag: null, tagAppended: false, inTemplate: false, ...fields };
}

describe('findInlineTokens', () => {
  it.each<[string, boolean, InlineToken[]]>([
    ['image: docker.io/starlingx/dex:v1', false, [token({ start: 7, end: 33, name: 'docker.io/starlingx/dex', nameStart: 7, nameEnd: 30, tag: 'v1', tagStart: 31 })]],
    ['ubuntu:22.04', true, [token({ start: 0, end: 12, name: 'ubuntu', nameStart: 0, nameEnd: 6, tag: '22.04', tagStart: 7 })]],
    ['ubuntu:22.04', false, []],
    [`ubuntu@${DIGEST}`, true, [token({ start: 0, end: 78, name: 'ubuntu', nameStart: 0, nameEnd: 6, tagStart: 6, digest: DIGEST })]],
    ['ubuntu', true, []],
    ['{{ reg }}/starlingx/dex:v1', false, [token({ start: 0, end: 26, prefix: '{{ reg }}/', name: 'starlingx/dex', nameStart: 10, nameEnd: 23, tag: 'v1', tagStart: 24 })]],
    ['${REG}/starlingx/dex', false, [token({ start: 0, end: 20, prefix: '${REG}/', name: 'starlingx/dex', nameStart: 7, nameEnd: 20, tagStart: 20 })]],
    ['"docker.io/starlingx/dex:" + tag', false, [token({ start: 1, end: 25, name: 'docker.io/starlingx/dex', nameStart: 1, nameEnd: 24, tagStart: 24, tagAppended: true })]],
    ['x/y:', false, [token({ start: 0, end: 4, name: 'x/y', nameStart: 0, nameEnd: 3, tagStart: 3, tagAppended: true })]],
    ['https://opendev.org/starlingx/dex', false, []],
    ['docker://docker.io/starlingx/dex:v1', false, [token({ start: 9, end: 35, name: 'docker.io/starlingx/dex', nameStart: 9, nameEnd: 32, tag: 'v1', tagStart: 33 })]],
    ['DOCKER://x/y:1', false, [token({ start: 9, end: 14, name: 'x/y', nameStart: 9, nameEnd: 12, tag: '1', tagStart: 13 })]],
    ["{{ x | default('docker.io/starlingx/rvmc') }}", false, [token({ start: 16, end: 40, name: 'docker.io/starlingx/rvmc', nameStart: 16, nameEnd: 40, tagStart: 40, inTemplate: true })]],
    ['{{ a }} docker.io/starlingx/rvmc {{ b }}', false, [token({ start: 8, end: 32, name: 'docker.io/starlingx/rvmc', nameStart: 8, nameEnd: 32, tagStart: 32 })]],
    ['localhost:5000/a/b:t', false, [token({ start: 0, end: 20, name: 'localhost:5000/a/b', nameStart: 0, nameEnd: 18, tag: 't', tagStart: 19 })]],
    ['[::1]:5000/a/b:t', false, [token({ start: 0, end: 16, name: '[::1]:5000/a/b', nameStart: 0, nameEnd: 14, tag: 't', tagStart: 15 })]],
    ['x/y:${TAG}', false, [token({ start: 0, end: 10, name: 'x/y', nameStart: 0, nameEnd: 3, tag: '${TAG}', tagStart: 4 })]],
    ['x/y:stx-@OS@-1', false, [token({ start: 0, end: 14, name: 'x/y', nameStart: 0, nameEnd: 3, tag: 'stx-@OS@-1', tagStart: 4 })]],
    ['starlingx/stx-{{ name }}', false, []],
    ['x/y@sha256:abc', false, []],
    ['${REG}/ubuntu:22.04', false, [token({ start: 0, end: 19, prefix: '${REG}/', name: 'ubuntu', nameStart: 7, nameEnd: 13, tag: '22.04', tagStart: 14 })]],
    ['a: x/y, b: z/w:2', false, [token({ start: 3, end: 6, name: 'x/y', nameStart: 3, nameEnd: 6, tagStart: 6 }), token({ start: 11, end: 16, name: 'z/w', nameStart: 11, nameEnd: 14, tag: '2', tagStart: 15 })]],
  ])('%j (one-component names: %s)', (line, oneComponent, tokens) => {
    // strict: a field that does not apply is absent, not set to undefined
    expect(findInlineTokens(line, oneComponent)).toStrictEqual(tokens);
  });

  it('one-component names are left out unless asked for', () => {
    expect(findInlineTokens('ubuntu:22.04')).toEqual([]);
  });
});
