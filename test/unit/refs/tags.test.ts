import { describe, expect, it } from 'vitest';
import { isFloatingTag, isWholePlaceholder, matchingTags, placeholderRewrite } from '../../../src/refs/tags.js';

describe('tags as references write them', () => {
  it.each([
    ['latest', true],
    ['master-centos-stable-latest', true],
    ['latest-1', false],
    ['stx.4.0-v2.2', false],
    ['notlatest', false],
  ])('floating %s: %s', (tag, floating) => expect(isFloatingTag(tag)).toBe(floating));

  it.each(['${TAG}', '${TAG:-latest}', '$TAG', '@TAG@', '{{ .Values.image.tag }}', '%s', '{tag}'])('%s is only a variable', (tag) => {
    expect(isWholePlaceholder(tag)).toBe(true);
  });

  it.each([
    ['stx.13.0-v1.0.12-@OS@', ['stx.13.0-v1.0.12-bullseye', 'stx.13.0-v1.0.12-trixie', 'stx.13.0-v1.0.11-trixie'], ['stx.13.0-v1.0.12-bullseye', 'stx.13.0-v1.0.12-trixie']],
    ['stx.4.0-v2.2', ['stx.4.0-v2.2'], ['stx.4.0-v2.2']],
    ['stx.4.0-v2x2', ['stx.4.0-v2.2'], []], // a dot in a tag is a dot, not "any character"
    ['${V}-bullseye', ['stx.1-bullseye', 'stx.1-trixie'], ['stx.1-bullseye']],
  ])('%s matches', (tag, tags, matched) => expect(matchingTags(tag, tags)).toEqual(matched));

  it.each([
    ['stx.13.0-v1.0.11-@OS_CODENAME@', ['stx.13.0-v1.0.12-bullseye', 'stx.13.0-v1.0.12-trixie'], 'stx.13.0-v1.0.12-@OS_CODENAME@'],
    ['stx.13.0-v1.0.11-@OS_CODENAME@', ['stx.13.0-v1.0.12-bullseye', 'stx.13.0-v1.0.12-buster'], 'stx.13.0-v1.0.12-@OS_CODENAME@'],
    ['@OS@-stable-v1', ['bullseye-stable-v2', 'trixie-stable-v2'], '@OS@-stable-v2'],
    ['v1.${OS}.x', ['v2.bullseye.y', 'v2.trixie.y'], 'v2.${OS}.y'],
    ['v1-@OS@', ['v2-bullseye'], undefined], // one candidate: where does the placeholder go?
    ['v1-@A@-@B@', ['v2-a-b', 'v2-c-d'], undefined],
    ['v1-@OS@', ['v2-bullseye', 'v3-trixie'], undefined], // they differ before the placeholder too
  ])('%s with %j -> %s', (tag, candidates, rewritten) => {
    expect(placeholderRewrite(tag, candidates)).toBe(rewritten);
  });
});
