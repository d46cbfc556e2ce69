// Edges of the run (run.ts) and of one image's requests (retag-image.ts) found by mutation testing
// (docs/mutation-testing.md): how many images run at once, the plan hint and the access asked
// for, credentials refused before or during a run, sourceChecked for pinned sources, a lost PUT
// under a custom retry policy, a tag that cannot be read back, an interrupt during the wait before
// a PUT is sent again, and failures that are not Error objects.
import { describe, expect, it } from 'vitest';
import type { Access } from '../../../src/registry/auth/index.js';
import type { Manifest, ManifestHead } from '../../../src/registry/client.js';
import { RegistryError } from '../../../src/registry/errors.js';
import { RETRY_POLICY } from '../../../src/registry/retry.js';
import { retagImage, type ManifestRegistry } from '../../../src/retag/retag-image.js';
import { runRetag } from '../../../src/retag/run.js';
import type { RetagTarget } from '../../../src/retag/types.js';

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const LOST = 'PUT failed: other side closed';

function target(repository: string, srcDigest?: string): RetagTarget {
  return { name: `r.example/${repository}`, registry: 'r.example', repository, source: 'build', tag: 'rel', ...(srcDigest ? { srcDigest } : {}) };
}

const lost = () => new RegistryError(LOST, { code: 'NETWORK', status: 0, registry: 'r.example', cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });

interface Script {
  /** the target tag's digest per repository (none: missing) */
  tags?: Record<string, string>;
  /** what a PUT does: store the digest, or throw */
  put?: () => Promise<string>;
  /** what a HEAD of the tag does after a PUT was sent */
  recheck?: () => Promise<ManifestHead>;
  head?: () => Promise<ManifestHead>;
  retryPolicy?: ManifestRegistry['retryPolicy'];
}

function registryOf(script: Script = {}) {
  const calls: string[] = [];
  const access = new Set<Access>();
  const planned: unknown[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let putSent = false;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return await work();
    } finally {
      inFlight -= 1;
    }
  };
  const registry: ManifestRegistry = {
    ...(script.retryPolicy ? { retryPolicy: script.retryPolicy } : {}),
    plan(refs, asked) {
      planned.push([...refs], asked);
    },
    headManifest(ref, reference, asked) {
      calls.push(`HEAD ${ref.repository}:${reference}`);
      access.add(asked);
      return track(async (): Promise<ManifestHead> => {
        if (script.head) return script.head();
        if (reference === 'rel' && putSent && script.recheck) return script.recheck();
        const digest = reference === 'rel' ? script.tags?.[ref.repository] : A;
        return digest === undefined ? { found: false } : { found: true, digest, mediaType: OCI };
      });
    },
    getManifest(ref, reference, asked) {
      calls.push(`GET ${ref.repository}:${reference === A ? 'A' : reference}`);
      access.add(asked);
      return track(async (): Promise<Manifest> => ({ digest: A, mediaType: OCI, bytes: Buffer.from('{}') }));
    },
    putManifest(ref, tag) {
      calls.push(`PUT ${ref.repository}:${tag}`);
      putSent = true;
      return track(script.put ?? (async () => A));
    },
  };
  return { registry, calls, access, planned, maxInFlight: () => maxInFlight };
}

describe('runRetag', () => {
  it.each([
    [2, 2],
    [3, 3],
    [0, 1],
  ])('runs at most `concurrency` images at once (%i: %i)', async (concurrency, most) => {
    const fake = registryOf();
    const run = await runRetag(['a', 'b', 'c', 'd'].map((r) => target(r)), fake.registry, { dryRun: false, concurrency });
    expect(run.results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created']);
    expect(fake.maxInFlight()).toBe(most);
  });

  it.each([true, false])('tells the registry every repository before it starts, asking for pull,push (dry-run: %s)', async (dryRun) => {
    const fake = registryOf();
    const run = await runRetag([target('a'), target('b')], fake.registry, { dryRun, concurrency: 1 });
    expect(fake.planned).toEqual([[{ registry: 'r.example', repository: 'a' }, { registry: 'r.example', repository: 'b' }], 'pull,push']);
    expect([...fake.access]).toEqual(['pull,push']);
    expect(run).toMatchObject({ dryRun, interrupted: false });
  });

  it('credentials without even pull: the image fails with the message and sends nothing', async () => {
    const fake = registryOf();
    const seen: string[] = [];
    const run = await runRetag([target('a'), target('b')], fake.registry, {
      dryRun: true,
      concurrency: 1,
      pushDenied: (t) => (t.repository === 'a' ? { message: 'no pull on a', noPull: true } : undefined),
      onResult: (result) => seen.push(`${result.target.repository} ${result.status}`),
    });
    expect(run.results.map((r) => [r.status, r.error])).toEqual([
      ['failed', 'no pull on a'],
      ['pending', undefined],
    ]);
    expect(seen).toEqual(['a failed', 'b pending']);
    expect(fake.calls.filter((c) => c.includes(' a:'))).toEqual([]);
  });

  it('credentials without push: apply fails before any GET, a dry-run is pending with the warning', async () => {
    const denied = () => ({ message: 'no push on a', noPull: false });
    const apply = registryOf();
    const applied = await runRetag([target('a')], apply.registry, { dryRun: false, concurrency: 1, pushDenied: denied });
    expect(applied.results[0]).toMatchObject({ status: 'failed', error: 'no push on a' });
    expect(apply.calls).toEqual(['HEAD a:rel']);
    const preview = registryOf();
    const previewed = await runRetag([target('a')], preview.registry, { dryRun: true, concurrency: 1, pushDenied: denied });
    expect(previewed.results[0]).toMatchObject({ status: 'pending', note: 'no push on a' });
  });
});

describe('retagImage', () => {
  it.each<[string, Record<string, string>, boolean | undefined]>([
    ['a pinned source copied: checked', {}, true],
    ['a pinned source already at the tag: not looked at', { a: A }, false],
  ])('%s', async (_name, tags, checked) => {
    const fake = registryOf({ tags });
    const result = await retagImage(target('a', A), fake.registry, { dryRun: false, srcDigest: A });
    expect(result.sourceChecked).toBe(checked);
  });

  it('an unpinned source has no sourceChecked', async () => {
    const result = await retagImage(target('a'), registryOf().registry, { dryRun: false });
    expect(result).not.toHaveProperty('sourceChecked');
  });

  it('the registry’s own retry policy bounds the PUTs sent again', async () => {
    const fake = registryOf({ put: () => Promise.reject(lost()), retryPolicy: { ...RETRY_POLICY, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const result = await retagImage(target('a'), fake.registry, { dryRun: false });
    expect(result).toMatchObject({ status: 'failed', error: `${LOST} (sent 2 times; the tag was read back after each and did not hold it)` });
    expect(fake.calls.filter((c) => c.startsWith('PUT'))).toHaveLength(2);
  });

  it('a lost PUT that may not be sent again fails with the failure as it was', async () => {
    const fake = registryOf({ put: () => Promise.reject(lost()), retryPolicy: { ...RETRY_POLICY, maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2 } });
    const result = await retagImage(target('a'), fake.registry, { dryRun: false });
    expect(result).toMatchObject({ status: 'failed', error: LOST });
    expect(fake.calls).toEqual(['HEAD a:rel', 'GET a:build', 'PUT a:rel', 'HEAD a:rel']);
  });

  it('a lost PUT whose tag cannot be read back: failed, nothing sent again, the user told to rerun', async () => {
    const fake = registryOf({
      put: () => Promise.reject(lost()),
      recheck: () => Promise.reject(new Error('HEAD answered 503')),
      retryPolicy: { ...RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const result = await retagImage(target('a'), fake.registry, { dryRun: false });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/other side closed; the tag could not be read back \(HEAD answered 503\).*rerun/);
    expect(fake.calls.filter((c) => c.startsWith('PUT'))).toHaveLength(1);
  });

  it('an interrupt during the wait before a PUT is sent again: failed as interrupted, no HEAD after it', async () => {
    const abort = new AbortController();
    const fake = registryOf({
      put: () => {
        setTimeout(() => abort.abort(), 5);
        return Promise.reject(lost());
      },
      retryPolicy: { ...RETRY_POLICY, baseDelayMs: 2_000, maxDelayMs: 4_000 },
    });
    const result = await retagImage(target('a'), fake.registry, { dryRun: false, signal: abort.signal });
    expect(result).toMatchObject({ status: 'failed', error: `interrupted before it finished (${LOST}); rerun to finish` });
    expect(fake.calls).toEqual(['HEAD a:rel', 'GET a:build', 'PUT a:rel']);
  });

  it('a failure that is not an Error object is still named', async () => {
    const fake = registryOf({ head: () => Promise.reject('registry said no') });
    expect(await retagImage(target('a'), fake.registry, { dryRun: false })).toEqual({ target: target('a'), status: 'failed', error: 'registry said no' });
  });

  it('a PUT refused as a write onto an existing tag is decided after one more look', async () => {
    const fake = registryOf({
      put: () => Promise.reject(new RegistryError('refused: immutable', { code: 'IMMUTABLE_TAG', status: 400, registry: 'r.example' })),
      recheck: async () => ({ found: true, digest: B, mediaType: OCI }),
    });
    const result = await retagImage(target('a'), fake.registry, { dryRun: false });
    expect(result).toMatchObject({ status: 'conflict', existingDigest: B, note: 'created meanwhile by another writer' });
    expect(fake.calls).toEqual(['HEAD a:rel', 'GET a:build', 'PUT a:rel', 'HEAD a:rel']);
  });
});
