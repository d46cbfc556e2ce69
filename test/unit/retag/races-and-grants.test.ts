// The plan's answers to races and to credentials that cannot push (issue 10), table-driven with
// no network: a refused PUT is followed by one HEAD of the tag and ends in the truth;
// without a push grant no GET goes out; whether a pinned source was compared.
import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestHead } from '../../../src/registry/client.js';
import { decideAfterRefusal, nextStep, sourceWasChecked, type Answers, type Decision, type PlanOptions, type PlanRequest } from '../../../src/retag/plan.js';

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const target = { name: 'r.example/app', registry: 'r.example', repository: 'app', source: 'build-1', tag: 'rel-1' };
const REFUSED = 'r.example refuses to create or move the tag r.example/app:rel-1 (400: TAG_INVALID ...)';
const DENIED = 'the credentials of ci-bot were not granted push on r.example/app';

/** The registry: what each reference points at before the PUT, and what the tag holds after a refused one. */
interface World {
  tags: Record<string, string | undefined>;
  /** the PUT is refused (or lost); the tag then holds this (undefined: still missing) */
  refusedWith?: { after: string | undefined };
}

const show = (r: PlanRequest): string => (r.kind === 'head' ? `HEAD ${r.reference}` : r.kind === 'get' ? `GET ${r.reference}` : `PUT ${r.tag}`);

function walk(world: World, options: Omit<PlanOptions, 'target'>): { rounds: string[][]; decision: Decision; answers: Answers } {
  const answers: Answers = {};
  const rounds: string[][] = [];
  for (let i = 0; i < 10; i++) {
    const step = nextStep(answers, { ...options, target });
    if ('done' in step) return { rounds, decision: step.done, answers };
    rounds.push(step.send.map(show));
    for (const request of step.send) {
      if (request.kind === 'head') {
        const tags = request.role === 'recheck' ? { ...world.tags, 'rel-1': world.refusedWith?.after } : world.tags;
        const found = tags[request.reference];
        const head: ManifestHead = found ? { found: true, digest: found, mediaType: OCI } : { found: false };
        answers[request.role] = head;
      } else if (request.kind === 'get') {
        const found = world.tags[request.reference];
        const manifest: Manifest | null = found ? { digest: found, mediaType: OCI, bytes: Buffer.from('{}') } : null;
        answers.manifest = manifest;
      } else if (world.refusedWith) {
        answers.refused = REFUSED;
      } else {
        answers.stored = answers.manifest!.digest;
      }
    }
  }
  throw new Error('the plan did not decide within 10 steps');
}

const ANOTHER = 'created meanwhile by another writer';

// a lost PUT (outcome unknown) is lost-write.test.ts
describe('a refused PUT: one HEAD of the tag, never a second PUT', () => {
  it.each([
    { name: 'another run wrote the same digest: exists', world: { tags: { 'build-1': A }, refusedWith: { after: A } }, decision: { status: 'exists', digest: A, note: ANOTHER, mediaType: OCI } },
    { name: 'another run wrote another build: conflict', world: { tags: { 'build-1': A }, refusedWith: { after: B } }, decision: { status: 'conflict', digest: A, existingDigest: B, note: ANOTHER, mediaType: OCI } },
    { name: 'the tag is still missing: failed with the reason', world: { tags: { 'build-1': A }, refusedWith: { after: undefined } }, decision: { status: 'failed', digest: A, error: REFUSED, mediaType: OCI } },
  ] satisfies { name: string; world: World; decision: Decision }[])('$name', ({ world, decision }) => {
    const walked = walk(world, { dryRun: false });
    expect(walked.rounds).toEqual([['HEAD rel-1'], ['GET build-1'], ['PUT rel-1'], ['HEAD rel-1']]);
    expect(walked.decision).toEqual(decision);
  });

  it('with a pinned digest the same', () => {
    const walked = walk({ tags: { 'build-1': A, [A]: A }, refusedWith: { after: A } }, { dryRun: false, srcDigest: A });
    expect(walked.rounds).toEqual([['HEAD rel-1'], ['HEAD build-1', `GET ${A}`], ['PUT rel-1'], ['HEAD rel-1']]);
    expect(walked.decision).toMatchObject({ status: 'exists', note: ANOTHER });
  });

  it('a --repush move refused on a tag that did not change: failed, not conflict', () => {
    const walked = walk({ tags: { 'build-1': A, 'rel-1': B }, refusedWith: { after: B } }, { dryRun: false, repush: true });
    expect(walked.rounds.at(-1)).toEqual(['HEAD rel-1']);
    expect(walked.decision).toMatchObject({ status: 'failed', error: REFUSED });
  });

  it.each([
    [{ found: true, digest: A } as ManifestHead, undefined, 'exists'],
    [{ found: true, digest: B } as ManifestHead, undefined, 'conflict'],
    [{ found: true, digest: B } as ManifestHead, { found: true, digest: B } as ManifestHead, 'failed'],
    [{ found: true, digest: A } as ManifestHead, { found: true, digest: B } as ManifestHead, 'exists'],
    [{ found: false } as ManifestHead, undefined, 'failed'],
  ])('decideAfterRefusal(%j, before %j) -> %s', (recheck, before, status) => {
    expect(decideAfterRefusal(REFUSED, recheck, A, before).status).toBe(status);
  });
});

describe('credentials without push: no GET, no PUT', () => {
  it.each([
    { name: 'new tag: failed after the HEAD, no GET', world: { tags: { 'build-1': A } }, options: { dryRun: false }, rounds: [['HEAD rel-1']], decision: { status: 'failed', error: DENIED } },
    { name: 'existing tag: still exists', world: { tags: { 'build-1': A, 'rel-1': A } }, options: { dryRun: false }, rounds: [['HEAD rel-1'], ['HEAD build-1']], decision: { status: 'exists', digest: A } },
    { name: 'pinned new tag: source checked by HEAD only', world: { tags: { 'build-1': A } }, options: { dryRun: false, srcDigest: A }, rounds: [['HEAD rel-1'], ['HEAD build-1']], decision: { status: 'failed', error: DENIED } },
    { name: 'pinned, source moved: source-moved still', world: { tags: { 'build-1': B } }, options: { dryRun: false, srcDigest: A }, rounds: [['HEAD rel-1'], ['HEAD build-1']], decision: { status: 'source-moved', digest: B } },
    { name: 'dry-run: pending with the warning', world: { tags: { 'build-1': A } }, options: { dryRun: true }, rounds: [['HEAD rel-1', 'HEAD build-1']], decision: { status: 'pending', digest: A, note: DENIED } },
    { name: 'rerun: HEADs together, no GET', world: { tags: { 'build-1': A } }, options: { dryRun: false, likelyExists: true }, rounds: [['HEAD rel-1', 'HEAD build-1']], decision: { status: 'failed', error: DENIED } },
  ] satisfies { name: string; world: World; options: Omit<PlanOptions, 'target' | 'pushDenied'>; rounds: string[][]; decision: Decision }[])('$name', ({ world, options, rounds, decision }) => {
    const walked = walk(world, { ...options, pushDenied: DENIED });
    expect(walked.rounds).toEqual(rounds);
    expect(walked.decision).toEqual(decision);
  });
});

describe('sourceWasChecked', () => {
  it.each([
    ['not pinned', {}, {}, undefined],
    ['the tag already held the pinned digest: not re-read', { target: { found: true, digest: A } }, { srcDigest: A }, false],
    ['src_build_tag HEAD', { target: { found: false }, source: { found: true, digest: A } }, { srcDigest: A }, true],
    ['GET by digest', { target: { found: false }, manifest: { digest: A, mediaType: OCI, bytes: Buffer.from('{}') } }, { srcDigest: A }, true],
  ] satisfies [string, Answers, Pick<PlanOptions, 'srcDigest'>, boolean | undefined][])('%s', (_name, answers, options, checked) => {
    expect(sourceWasChecked(answers, options)).toBe(checked);
  });
});
