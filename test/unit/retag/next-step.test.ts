// Every branch of one image's plan, walked step by step against a scripted registry (no network):
// which requests go out together in each round, and the decision at the end.

import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestHead } from '../../../src/registry/client.js';
import { nextStep, type Answers, type Decision, type PlanOptions, type PlanRequest } from '../../../src/retag/plan.js';

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
const target = { name: 'r.example/app', registry: 'r.example', repository: 'app', source: 'build-1', tag: 'rel-1' };

/** What the registry holds: the digest each reference points at (a tag or a digest), and its type. */
interface World {
  tags: Record<string, string | undefined>;
  mediaType?: string;
  /** the bytes a GET by this reference answers hash to this digest (a misbehaving registry) */
  getDigest?: string;
}

function answer(world: World, request: PlanRequest, answers: Answers): void {
  const digest = (reference: string): string | undefined => world.tags[reference] ?? undefined;
  if (request.kind === 'head') {
    const found = digest(request.reference);
    const head: ManifestHead = found ? { found: true, digest: found, mediaType: world.mediaType ?? OCI } : { found: false };
    answers[request.role] = head;
  } else if (request.kind === 'get') {
    const found = digest(request.reference);
    const manifest: Manifest | null = found ? { digest: world.getDigest ?? found, mediaType: world.mediaType ?? OCI, bytes: Buffer.from('{}') } : null;
    answers.manifest = manifest;
  } else {
    answers.stored = answers.manifest!.digest;
  }
}

const show = (r: PlanRequest): string => (r.kind === 'head' ? `HEAD ${r.reference}` : r.kind === 'get' ? `GET ${r.reference}` : `PUT ${r.tag}`);

/** Runs the plan to its decision; the rounds are the requests sent together. */
function walk(world: World, options: Omit<PlanOptions, 'target'>): { rounds: string[][]; decision: Decision } {
  const answers: Answers = {};
  const rounds: string[][] = [];
  for (let i = 0; i < 10; i++) {
    const step = nextStep(answers, { ...options, target });
    if ('done' in step) return { rounds, decision: step.done };
    expect(step.send.length).toBeGreaterThan(0);
    rounds.push(step.send.map(show));
    for (const request of step.send) answer(world, request, answers);
  }
  throw new Error('the plan did not decide within 10 steps');
}

const both = ['HEAD rel-1', 'HEAD build-1'];

describe('nextStep: the source known by its tag', () => {
  it.each([
    // dry-run: the two HEADs in one round, whatever the answers
    { name: 'dry-run, new tag: pending', world: { tags: { 'build-1': A } }, options: { dryRun: true }, rounds: [both], decision: { status: 'pending', digest: A } },
    { name: 'dry-run, exists', world: { tags: { 'build-1': A, 'rel-1': A } }, options: { dryRun: true }, rounds: [both], decision: { status: 'exists', digest: A } },
    { name: 'dry-run, conflict', world: { tags: { 'build-1': A, 'rel-1': B } }, options: { dryRun: true }, rounds: [both], decision: { status: 'conflict', digest: A, existingDigest: B } },
    { name: 'dry-run, missing source', world: { tags: {} }, options: { dryRun: true }, rounds: [both], decision: { status: 'missing-source' } },
    { name: 'dry-run, missing source, tag exists', world: { tags: { 'rel-1': B } }, options: { dryRun: true }, rounds: [both], decision: { status: 'missing-source', existingDigest: B } },
    // apply, nothing known yet (or a run of new tags): HEAD, GET, PUT and nothing else
    { name: 'apply, new tag: created', world: { tags: { 'build-1': A } }, options: { dryRun: false }, rounds: [['HEAD rel-1'], ['GET build-1'], ['PUT rel-1']], decision: { status: 'created', digest: A, mediaType: OCI } },
    { name: 'apply, new tag, run of new tags', world: { tags: { 'build-1': A } }, options: { dryRun: false, likelyExists: false }, rounds: [['HEAD rel-1'], ['GET build-1'], ['PUT rel-1']], decision: { status: 'created', digest: A, mediaType: OCI } },
    { name: 'apply, new tag, source gone (GET 404)', world: { tags: {} }, options: { dryRun: false }, rounds: [['HEAD rel-1'], ['GET build-1']], decision: { status: 'missing-source' } },
    { name: 'apply, exists, nothing known yet: two rounds', world: { tags: { 'build-1': A, 'rel-1': A } }, options: { dryRun: false }, rounds: [['HEAD rel-1'], ['HEAD build-1']], decision: { status: 'exists', digest: A } },
    // apply in a rerun: the source's HEAD rides along
    { name: 'rerun, exists: one round', world: { tags: { 'build-1': A, 'rel-1': A } }, options: { dryRun: false, likelyExists: true }, rounds: [both], decision: { status: 'exists', digest: A } },
    { name: 'rerun, conflict: one round', world: { tags: { 'build-1': A, 'rel-1': B } }, options: { dryRun: false, likelyExists: true }, rounds: [both], decision: { status: 'conflict', digest: A, existingDigest: B } },
    { name: 'rerun, new tag: one GET, one PUT', world: { tags: { 'build-1': A } }, options: { dryRun: false, likelyExists: true }, rounds: [both, ['GET build-1'], ['PUT rel-1']], decision: { status: 'created', digest: A, mediaType: OCI } },
    { name: 'rerun, new tag, source gone: no GET', world: { tags: {} }, options: { dryRun: false, likelyExists: true }, rounds: [both], decision: { status: 'missing-source' } },
    // --repush
    { name: 'repush apply: conflict moved', world: { tags: { 'build-1': A, 'rel-1': B } }, options: { dryRun: false, repush: true }, rounds: [both, ['GET build-1'], ['PUT rel-1']], decision: { status: 'updated', digest: A, existingDigest: B, mediaType: OCI } },
    { name: 'repush dry-run: the move is pending', world: { tags: { 'build-1': A, 'rel-1': B } }, options: { dryRun: true, repush: true }, rounds: [both], decision: { status: 'pending', digest: A, existingDigest: B } },
    { name: 'repush, already there: exists, nothing fetched', world: { tags: { 'build-1': A, 'rel-1': A } }, options: { dryRun: false, repush: true }, rounds: [both], decision: { status: 'exists', digest: A } },
    { name: 'repush, source gone', world: { tags: { 'rel-1': B } }, options: { dryRun: false, repush: true }, rounds: [both], decision: { status: 'missing-source', existingDigest: B } },
    { name: 'repush, new tag: created as usual', world: { tags: { 'build-1': A } }, options: { dryRun: false, repush: true }, rounds: [both, ['GET build-1'], ['PUT rel-1']], decision: { status: 'created', digest: A, mediaType: OCI } },
  ] satisfies { name: string; world: World; options: Omit<PlanOptions, 'target'>; rounds: string[][]; decision: Decision }[])('$name', ({ world, options, rounds, decision }) => {
    expect(walk(world, options)).toEqual({ rounds, decision });
  });

  it('repush apply: the tag moved to the source meanwhile (GET shows the same bytes): exists, no PUT', () => {
    // HEAD said B, the GET's bytes are A's digest... and the tag holds A by then: decideMoved says exists
    const world: World = { tags: { 'build-1': B, 'rel-1': A }, getDigest: A };
    const { rounds, decision } = walk(world, { dryRun: false, repush: true });
    expect(rounds).toEqual([both, ['GET build-1']]);
    expect(decision).toEqual({ status: 'exists', digest: A, mediaType: OCI });
  });
});

describe('nextStep: a schema 1 source (read from the HEAD)', () => {
  it.each([
    { name: 'dry-run, new tag', world: { tags: { 'build-1': A } }, options: { dryRun: true }, rounds: [both] },
    { name: 'repush dry-run of a conflict', world: { tags: { 'build-1': A, 'rel-1': B } }, options: { dryRun: true, repush: true }, rounds: [both] },
    { name: 'rerun, new tag: failed without a GET', world: { tags: { 'build-1': A } }, options: { dryRun: false, likelyExists: true }, rounds: [both] },
  ] satisfies { name: string; world: Omit<World, 'mediaType'>; options: Omit<PlanOptions, 'target'>; rounds: string[][] }[])('$name: failed with apply\'s message', ({ world, options, rounds }) => {
    const walked = walk({ ...world, mediaType: SCHEMA1 }, options);
    expect(walked.rounds).toEqual(rounds);
    expect(walked.decision.status).toBe('failed');
    expect(walked.decision.error).toMatch(/^r\.example\/app:build-1 is a Docker schema 1 manifest/);
  });

  it('an existing tag at the same schema 1 digest stays exists (nothing would be copied)', () => {
    expect(walk({ tags: { 'build-1': A, 'rel-1': A }, mediaType: SCHEMA1 }, { dryRun: true, repush: true }).decision).toEqual({ status: 'exists', digest: A });
  });
});

describe('nextStep: a pinned source digest (src_digest)', () => {
  it.each([
    { name: 'exists: one HEAD', world: { tags: { 'build-1': A, 'rel-1': A } }, options: { dryRun: false }, rounds: [['HEAD rel-1']], decision: { status: 'exists', digest: A } },
    { name: 'exists in a dry-run: one HEAD', world: { tags: { 'build-1': A, 'rel-1': A } }, options: { dryRun: true }, rounds: [['HEAD rel-1']], decision: { status: 'exists', digest: A } },
    { name: 'exists although the build tag moved: one HEAD', world: { tags: { 'build-1': B, 'rel-1': A } }, options: { dryRun: false }, rounds: [['HEAD rel-1']], decision: { status: 'exists', digest: A } },
    { name: 'conflict: one HEAD', world: { tags: { 'build-1': A, 'rel-1': B } }, options: { dryRun: false }, rounds: [['HEAD rel-1']], decision: { status: 'conflict', digest: A, existingDigest: B } },
    { name: 'new tag: source checked and pinned bytes fetched together, then PUT', world: { tags: { 'build-1': A } }, options: { dryRun: false }, rounds: [['HEAD rel-1'], ['HEAD build-1', `GET ${A}`], ['PUT rel-1']], decision: { status: 'created', digest: A, mediaType: OCI } },
    { name: 'new tag in a run of new tags: HEADs together', world: { tags: { 'build-1': A } }, options: { dryRun: false, likelyExists: false }, rounds: [both, [`GET ${A}`], ['PUT rel-1']], decision: { status: 'created', digest: A, mediaType: OCI } },
    { name: 'new tag, dry-run: pending', world: { tags: { 'build-1': A } }, options: { dryRun: true }, rounds: [['HEAD rel-1'], ['HEAD build-1']], decision: { status: 'pending', digest: A } },
    { name: 'source moved: nothing written', world: { tags: { 'build-1': B } }, options: { dryRun: false }, rounds: [['HEAD rel-1'], ['HEAD build-1', `GET ${A}`]], decision: { status: 'source-moved', digest: B } },
    { name: 'source moved, dry-run', world: { tags: { 'build-1': B } }, options: { dryRun: true }, rounds: [['HEAD rel-1'], ['HEAD build-1']], decision: { status: 'source-moved', digest: B } },
    { name: 'source tag gone', world: { tags: {} }, options: { dryRun: true }, rounds: [['HEAD rel-1'], ['HEAD build-1']], decision: { status: 'missing-source' } },
    { name: 'repush of a conflict: checked, moved to the pinned bytes', world: { tags: { 'build-1': A, 'rel-1': B } }, options: { dryRun: false, repush: true }, rounds: [['HEAD rel-1'], ['HEAD build-1', `GET ${A}`], ['PUT rel-1']], decision: { status: 'updated', digest: A, existingDigest: B, mediaType: OCI } },
    { name: 'repush dry-run of a conflict: pending', world: { tags: { 'build-1': A, 'rel-1': B } }, options: { dryRun: true, repush: true }, rounds: [['HEAD rel-1'], ['HEAD build-1']], decision: { status: 'pending', digest: A, existingDigest: B } },
    { name: 'repush, source moved', world: { tags: { 'build-1': B, 'rel-1': B } }, options: { dryRun: false, repush: true }, rounds: [['HEAD rel-1'], ['HEAD build-1', `GET ${A}`]], decision: { status: 'source-moved', digest: B, existingDigest: B } },
  ] satisfies { name: string; world: World; options: Omit<PlanOptions, 'target' | 'srcDigest'>; rounds: string[][]; decision: Decision }[])('$name', ({ world, options, rounds, decision }) => {
    // the pinned digest A is held by some reference of the world; a GET by digest finds it
    const pinnedWorld = { ...world, tags: { ...world.tags, [A]: A } };
    expect(walk(pinnedWorld, { ...options, srcDigest: A })).toEqual({ rounds, decision });
  });

  it('a GET by digest answering other bytes fails, nothing written', () => {
    const walked = walk({ tags: { 'build-1': A, [A]: A }, getDigest: B }, { dryRun: false, srcDigest: A });
    expect(walked.rounds).toEqual([['HEAD rel-1'], ['HEAD build-1', `GET ${A}`]]);
    expect(walked.decision).toMatchObject({ status: 'failed', error: expect.stringMatching(/r\.example\/app@sha256:a+: the registry answered a manifest with digest sha256:b+; nothing was written/) as unknown });
  });
});
