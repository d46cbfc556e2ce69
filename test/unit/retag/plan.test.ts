import { describe, expect, it } from 'vitest';
import { decideExistingTarget, decideMissingTarget, decideMoved, decideRepush } from '../../../src/retag/plan.js';
import { hasPending, runSucceeded, summarise } from '../../../src/retag/summary.js';
import type { ImageResult, ImageStatus } from '../../../src/retag/types.js';

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);

describe('decideExistingTarget', () => {
  it.each([
    { name: 'same digest: exists, nothing written', target: A, source: { found: true as const, digest: A }, expected: { status: 'exists', digest: A } },
    { name: 'different digest: conflict, never overwritten', target: A, source: { found: true as const, digest: B }, expected: { status: 'conflict', digest: B, existingDigest: A } },
    { name: 'source gone: missing-source', target: A, source: { found: false as const }, expected: { status: 'missing-source', existingDigest: A } },
  ])('$name', ({ target, source, expected }) => {
    expect(decideExistingTarget(target, source)).toEqual(expected);
  });
});

describe('decideMissingTarget', () => {
  it.each([
    { dryRun: true, source: { found: true as const, digest: A }, expected: { status: 'pending', digest: A } },
    { dryRun: false, source: { found: true as const, digest: A }, expected: { status: 'created', digest: A } },
    { dryRun: true, source: { found: false as const }, expected: { status: 'missing-source' } },
    { dryRun: false, source: { found: false as const }, expected: { status: 'missing-source' } },
  ])('dryRun=$dryRun source=$source.found -> $expected.status', ({ dryRun, source, expected }) => {
    expect(decideMissingTarget(source, dryRun)).toEqual(expected);
  });
});

describe('summarise and runSucceeded', () => {
  const result = (status: ImageStatus): ImageResult => ({
    target: { name: 'x', registry: 'r', repository: 'x', source: 's', tag: 't' },
    status,
  });
  it('counts every status', () => {
    const statuses: ImageStatus[] = ['created', 'created', 'updated', 'pending', 'exists', 'conflict', 'missing-source', 'failed'];
    expect(summarise(statuses.map(result))).toEqual({ created: 2, updated: 1, pending: 1, exists: 1, conflict: 1, missingSource: 1, failed: 1, notStarted: 0 });
  });
  it.each([
    [['created', 'pending', 'exists'], true],
    [['updated'], true],
    [['created', 'conflict'], false],
    [['missing-source'], false],
    [['failed'], false],
    [[], true],
  ] as [ImageStatus[], boolean][])('%j succeeded: %s', (statuses, ok) => {
    expect(runSucceeded({ summary: summarise(statuses.map(result)) })).toBe(ok);
  });
});

describe('--repush decisions', () => {
  const conflict = decideExistingTarget(A, { found: true, digest: B });
  it.each([
    { name: 'dry-run: the move is pending, showing what the tag points at now', decision: conflict, dryRun: true, expected: { status: 'pending', digest: B, existingDigest: A } },
    { name: 'apply: move (GET + PUT)', decision: conflict, dryRun: false, expected: 'move' },
    { name: 'same digest stays exists', decision: decideExistingTarget(A, { found: true, digest: A }), dryRun: false, expected: { status: 'exists', digest: A } },
    { name: 'missing source stays missing-source', decision: decideExistingTarget(A, { found: false }), dryRun: false, expected: { status: 'missing-source', existingDigest: A } },
  ])('$name', ({ decision, dryRun, expected }) => {
    expect(decideRepush(decision, dryRun)).toEqual(expected);
  });
  it.each([
    { existing: A, source: B, expected: { status: 'updated', digest: B, existingDigest: A } },
    { existing: A, source: A, expected: { status: 'exists', digest: A } },
  ])('after the GET: $expected.status', ({ existing, source, expected }) => {
    expect(decideMoved(existing, source)).toEqual(expected);
  });
});

describe('hasPending (--fail-on-pending)', () => {
  it.each([
    [['pending'], true],
    [['exists', 'created', 'updated'], false],
    [[], false],
  ] as [ImageStatus[], boolean][])('%j -> %s', (statuses, pending) => {
    const result = (status: ImageStatus): ImageResult => ({ target: { name: 'x', registry: 'r', repository: 'x', source: 's', tag: 't' }, status });
    expect(hasPending({ summary: summarise(statuses.map(result)) })).toBe(pending);
  });
});
