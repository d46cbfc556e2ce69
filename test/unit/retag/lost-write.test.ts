// A PUT whose outcome is unknown (issue 10: "never a second PUT onto a tag that another writer
// created"). The plan's decision, table-driven with no network; then retagImage against a scripted
// registry, for the sequence of requests and the bound on PUTs sent again (the retry policy's).
import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestHead } from '../../../src/registry/client.js';
import { RegistryError } from '../../../src/registry/errors.js';
import { RETRY_POLICY, type RetryPolicy } from '../../../src/registry/retry.js';
import { decideAfterLostWrite, nextStep, type Answers, type Decision } from '../../../src/retag/plan.js';
import { retagImage, type ManifestRegistry } from '../../../src/retag/retag-image.js';

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);
const C = 'sha256:' + 'c'.repeat(64);
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const target = { name: 'r.example/app', registry: 'r.example', repository: 'app', source: 'build-1', tag: 'rel-1' };
const LOST = 'PUT http://r.example/v2/app/manifests/rel-1 failed: other side closed';
const ANOTHER = 'created meanwhile by another writer';
const READ_BACK = "the answer to the PUT was lost; the tag was read back and holds the source's digest";
const manifest: Manifest = { digest: A, mediaType: OCI, bytes: Buffer.from('{}') };

describe('decideAfterLostWrite', () => {
  const created: Decision = { status: 'created', digest: A };
  it.each([
    ['the tag holds our digest: created (our write landed, its answer was lost)', { found: true, digest: A }, undefined, true, { status: 'created', digest: A, note: READ_BACK }],
    ['another digest, not there before: conflict', { found: true, digest: B }, undefined, true, { status: 'conflict', digest: A, existingDigest: B, note: ANOTHER }],
    ['still missing, attempts left: sent again', { found: false }, undefined, true, 'send-again'],
    ['still missing, attempts spent: failed with the failure', { found: false }, undefined, false, { status: 'failed', digest: A, error: LOST }],
    ['--repush, the old digest unchanged: sent again', { found: true, digest: B }, { found: true, digest: B }, true, 'send-again'],
    ['--repush, a third digest: conflict', { found: true, digest: C }, { found: true, digest: B }, true, { status: 'conflict', digest: A, existingDigest: C, note: ANOTHER }],
  ] satisfies [string, ManifestHead, ManifestHead | undefined, boolean, Decision | 'send-again'][])('%s', (_name, recheck, before, mayResend, expected) => {
    expect(decideAfterLostWrite({ reason: LOST, mayResend }, recheck, created, before)).toEqual(expected);
  });

  it('--repush whose write landed: updated', () => {
    const updated: Decision = { status: 'updated', digest: A, existingDigest: B };
    expect(decideAfterLostWrite({ reason: LOST, mayResend: true }, { found: true, digest: A }, updated, { found: true, digest: B })).toEqual({ ...updated, note: READ_BACK });
  });

  it('the tag cannot be read back: failed, nothing sent again, the user told to rerun', () => {
    const decision = decideAfterLostWrite({ reason: LOST, mayResend: true }, { found: false, unreadable: 'HEAD answered 503' }, created, undefined);
    expect(decision).toMatchObject({ status: 'failed', error: expect.stringMatching(/other side closed; the tag could not be read back \(HEAD answered 503\).*rerun/) as unknown });
  });

  it('nextStep: a lost PUT is followed by one HEAD of the tag, then the decision or the PUT again', () => {
    const options = { target, dryRun: false };
    const answers: Answers = { target: { found: false }, manifest, lost: LOST, mayResend: true };
    expect(nextStep(answers, options)).toEqual({ send: [{ kind: 'head', role: 'recheck', reference: 'rel-1' }] });
    expect(nextStep({ ...answers, recheck: { found: false } }, options)).toEqual({ send: [{ kind: 'put', tag: 'rel-1' }] });
    expect(nextStep({ ...answers, recheck: { found: true, digest: B } }, options)).toEqual({ done: { status: 'conflict', digest: A, existingDigest: B, note: ANOTHER, mediaType: OCI } });
  });
});

/** PUT outcomes in order: 'ok', 'lost' (answer lost, nothing written), 'landed' (written, answer lost), 'other' (another writer's B lands, our answer lost), 'refused' */
type PutScript = ('ok' | 'lost' | 'landed' | 'other' | 'refused' | 'denied')[];

function scripted(puts: PutScript): { registry: ManifestRegistry; calls: string[] } {
  const calls: string[] = [];
  let tag: string | undefined;
  const lost = () => new RegistryError(LOST, { code: 'NETWORK', status: 0, registry: 'r.example', cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
  const registry: ManifestRegistry = {
    retryPolicy: { ...RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 2 } satisfies RetryPolicy,
    async headManifest(_ref, reference): Promise<ManifestHead> {
      calls.push(`HEAD ${reference}`);
      const digest = reference === 'build-1' ? A : tag;
      return digest ? { found: true, digest, mediaType: OCI } : { found: false };
    },
    async getManifest(_ref, reference): Promise<Manifest> {
      calls.push(`GET ${reference}`);
      return manifest;
    },
    async putManifest(_ref, name) {
      calls.push(`PUT ${name}`);
      const outcome = puts.shift() ?? 'lost';
      if (outcome === 'ok') return (tag = A);
      if (outcome === 'landed') tag = A;
      if (outcome === 'other') tag = B;
      if (outcome === 'refused') throw new RegistryError('refused: immutable', { code: 'IMMUTABLE_TAG', status: 400, registry: 'r.example' });
      if (outcome === 'denied') throw new RegistryError('denied', { code: 'UNAUTHORIZED', status: 403, registry: 'r.example' });
      throw lost();
    },
  };
  return { registry, calls };
}

describe('retagImage after a PUT whose outcome is unknown', () => {
  it('landed, answer lost: one PUT, one HEAD of the tag, created', async () => {
    const { registry, calls } = scripted(['landed']);
    const result = await retagImage(target, registry, { dryRun: false });
    expect(result).toMatchObject({ status: 'created', digest: A, note: READ_BACK });
    expect(calls).toEqual(['HEAD rel-1', 'GET build-1', 'PUT rel-1', 'HEAD rel-1']);
  });

  it('another writer created the tag in between: conflict, exactly one PUT', async () => {
    const { registry, calls } = scripted(['other']);
    const result = await retagImage(target, registry, { dryRun: false });
    expect(result).toMatchObject({ status: 'conflict', digest: A, existingDigest: B, note: ANOTHER });
    expect(calls.filter((c) => c.startsWith('PUT'))).toHaveLength(1);
  });

  it('did not land: sent again after the tag was read back, created', async () => {
    const { registry, calls } = scripted(['lost', 'ok']);
    const result = await retagImage(target, registry, { dryRun: false });
    expect(result).toMatchObject({ status: 'created', digest: A });
    expect(calls).toEqual(['HEAD rel-1', 'GET build-1', 'PUT rel-1', 'HEAD rel-1', 'PUT rel-1']);
  });

  it('never lands: at most maxAttempts PUTs, each followed by a HEAD, then failed naming the count', async () => {
    const { registry, calls } = scripted([]);
    const result = await retagImage(target, registry, { dryRun: false });
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/other side closed \(sent 4 times; the tag was read back after each and did not hold it\)$/) as unknown });
    expect(calls.slice(2)).toEqual(['PUT rel-1', 'HEAD rel-1', 'PUT rel-1', 'HEAD rel-1', 'PUT rel-1', 'HEAD rel-1', 'PUT rel-1', 'HEAD rel-1']);
  });

  it('a refusal after a lost PUT that did not land: decided as a refusal (one more HEAD)', async () => {
    const { registry, calls } = scripted(['lost', 'refused']);
    const result = await retagImage(target, registry, { dryRun: false });
    expect(result).toMatchObject({ status: 'failed', error: 'refused: immutable' });
    expect(calls.slice(2)).toEqual(['PUT rel-1', 'HEAD rel-1', 'PUT rel-1', 'HEAD rel-1']);
  });

  it('a 403 on the PUT stands: failed, no HEAD of the tag', async () => {
    const { registry, calls } = scripted(['denied']);
    expect(await retagImage(target, registry, { dryRun: false })).toMatchObject({ status: 'failed', error: 'denied' });
    expect(calls.slice(2)).toEqual(['PUT rel-1']);
  });
});
