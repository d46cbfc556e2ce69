// A reference's status and note (classify.ts) for every written form against one and several
// managed tags, and the tag helpers (tags.ts) at their edges: placeholder syntaxes, the rewrite of
// a templated tag and when it is refused. Found worth a table of its own by mutation testing
// (docs/mutation-testing.md): scan-file.test.ts checks statuses, rarely the notes.
import { describe, expect, it } from 'vitest';
import type { ManagedImage } from '../../../src/refs/catalog.js';
import { classify, type Classification, type WrittenTag } from '../../../src/refs/classify.js';
import { hasPlaceholder, isFloatingTag, isWholePlaceholder, literalParts, matchingTags, placeholderRewrite } from '../../../src/refs/tags.js';

const D = `sha256:${'a'.repeat(64)}`;
const ONE: ManagedImage = { name: 'docker.io/x/a', registry: 'docker.io', repository: 'x/a', tags: ['t1'], buildTags: new Map([['b1', ['t1']]]) };
const TWO: ManagedImage = { name: 'docker.io/x/b', registry: 'docker.io', repository: 'x/b', tags: ['v1-bullseye', 'v1-trixie'], buildTags: new Map([['b1', ['v1-bullseye', 'v1-trixie']]]) };

const VARIABLE = 'the tag is a variable';

describe('classify, managed images', () => {
  it.each<[WrittenTag, ManagedImage, Classification]>([
    [{ tag: 't1' }, ONE, { status: 'pinned', expected: ['t1'] }],
    [{ tag: 'old' }, ONE, { status: 'drift', expected: ['t1'] }],
    [{ tag: 'b1' }, ONE, { status: 'drift', expected: ['t1'], note: 'the build tag (src_build_tag) of t1' }],
    [{ tag: 'b1' }, TWO, { status: 'drift', expected: TWO.tags, note: 'the build tag (src_build_tag) of v1-bullseye, v1-trixie' }],
    [{ tag: null }, ONE, { status: 'floating', expected: ['t1'], note: 'no tag: docker pulls latest' }],
    [{ tag: '' }, ONE, { status: 'floating', expected: ['t1'], note: 'an empty tag' }],
    [{ tag: null, digest: D }, ONE, { status: 'pinned', expected: ['t1'], note: 'pinned by digest; the digest is not checked (retag refs contacts no registry)' }],
    [{ tag: '', digest: D }, ONE, { status: 'pinned', expected: ['t1'], note: 'pinned by digest; the digest is not checked (retag refs contacts no registry)' }],
    [{ tag: 't1', digest: D }, ONE, { status: 'pinned', expected: ['t1'], note: 'also pinned by digest (not checked)' }],
    [{ tag: 'v1-@OS@' }, TWO, { status: 'pinned', expected: TWO.tags, note: 'the placeholder matches v1-bullseye, v1-trixie' }],
    [{ tag: 'v1-@OS@', digest: D }, TWO, { status: 'pinned', expected: TWO.tags, note: 'the placeholder matches v1-bullseye, v1-trixie; also pinned by digest (not checked)' }],
    [{ tag: '${T}' }, TWO, { status: 'unresolved', expected: TWO.tags, note: `${VARIABLE}; the tag files say v1-bullseye, v1-trixie` }],
    [{ tag: '${T}' }, ONE, { status: 'unresolved', expected: ['t1'], note: `${VARIABLE}; the tag file says t1` }],
    [{ tag: null, tagAppended: true }, ONE, { status: 'unresolved', expected: ['t1'], note: 'the tag is added by code after the name; the tag file says t1' }],
    [{ tag: 'latest' }, ONE, { status: 'floating', expected: ['t1'] }],
    [{ tag: 'x-latest' }, ONE, { status: 'floating', expected: ['t1'] }],
  ])('%j against %#', (written, image, expected) => {
    // strict: no note means no note key, not one set to undefined
    expect(classify(written, { kind: 'managed', image, via: 'full' })).toStrictEqual(expected);
  });
});

describe('classify, unmanaged images', () => {
  it.each<[WrittenTag, string]>([
    [{ tag: 'v1' }, 'not in the tag files'],
    [{ tag: null }, 'not in the tag files; floating: no tag'],
    [{ tag: '' }, 'not in the tag files; floating: no tag'],
    [{ tag: null, digest: D }, 'not in the tag files'],
    [{ tag: '', digest: D }, 'not in the tag files'],
    [{ tag: '${T}' }, `not in the tag files; ${VARIABLE}`],
    [{ tag: null, tagAppended: true }, `not in the tag files; ${VARIABLE}`],
    [{ tag: 'latest' }, 'not in the tag files; floating tag'],
    [{ tag: 'a-latest' }, 'not in the tag files; floating tag'],
  ])('%j', (written, note) => {
    expect(classify(written, { kind: 'unmanaged', name: 'docker.io/x/z', via: 'full' })).toEqual({ status: 'unmanaged', expected: [], note });
  });
});

describe('tags', () => {
  it.each<[string, string[], string | undefined]>([
    ['v1-@OS@', ['v2-a', 'v2-b'], 'v2-@OS@'],
    ['@OS@-v1', ['a-v2', 'b-v2'], '@OS@-v2'],
    ['v1-@OS@-x', ['v2-a-y', 'v2-b-y'], 'v2-@OS@-y'],
    ['v1_@OS@', ['v2_a', 'v2_b'], 'v2_@OS@'],
    ['@OS@', ['a', 'b'], '@OS@'],
    ['v1.@OS@', ['v2-a', 'v2-b'], undefined], // the separator before the placeholder is not in the candidates
    ['v1-@OS@x', ['v2-ax', 'v2-bx'], undefined], // no separator after the placeholder
    ['x@OS@-v1', ['a-v2', 'b-v2'], undefined], // no separator before it
    ['v1-@OS@-x', ['v2-a-y', 'v2-b-z'], undefined], // they differ after the placeholder too
    ['v1-@OS@', ['v2-a', 'v3'], undefined],
    ['v1-@OS@-x', ['a-y', 'b-y'], undefined],
    ['v-@OS@', ['v-a', 'v-'], undefined], // the placeholder would stand for nothing in one of them
    ['v-@OS@-x', ['v-a-x', 'v--x'], undefined], // the same, with text after it
    ['v1-@A@-@B@', ['v2-x-y', 'v2-z-y'], undefined], // two placeholders
    ['ax@OS@-v1', ['ax1-v2', 'ax2-v2'], undefined], // `x` is no separator, even where the candidates agree
    ['_@OS@', ['_a', '_b'], '_@OS@'], // a separator at the very start
    ['v1', ['v2-a', 'v2-b'], undefined], // no placeholder at all
    ['v1-', ['v1-a', 'v1-b'], undefined], // none, though the text before one would fit
  ])('placeholderRewrite(%j, %j) is %j', (tag, candidates, rewritten) => {
    expect(placeholderRewrite(tag, candidates)).toBe(rewritten);
  });

  it.each<[string, boolean, boolean]>([
    ['a%sb', true, false],
    ['%(name)s', true, true],
    ['{name}', true, true],
    ['{1}', false, false],
    ['a${X}', true, false],
    ['${X}b', true, false],
    ['${X:-latest}', true, true],
    ['$X', true, true],
    ['@X@', true, true],
    ['{{ x }}', true, true],
    ['plain', false, false],
  ])('%j: has a placeholder %s, is only one %s', (tag, has, whole) => {
    expect([hasPlaceholder(tag), isWholePlaceholder(tag)]).toEqual([has, whole]);
  });

  it('literal parts, matching and floating tags', () => {
    expect(literalParts('a-@X@-b-${Y}')).toEqual(['a-', '-b-', '']);
    expect(matchingTags('a-{x}', ['a-1', 'a-', 'b-1'])).toEqual(['a-1']);
    expect(matchingTags('a.{x}', ['a.1', 'ab1'])).toEqual(['a.1']);
    expect([isFloatingTag('latest-x'), isFloatingTag('xlatest'), isFloatingTag('x-latest')]).toEqual([false, false, true]);
  });
});
