// The run's interrupt semantics with a scripted registry: after `signal` no image starts, the
// ones under way carry on to their PUT; `requestSignal` is what their requests see, and an abort
// there makes the image failed with "rerun to finish".

import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestHead } from '../../../src/registry/client.js';
import { runRetag } from '../../../src/retag/run.js';
import type { ManifestRegistry } from '../../../src/retag/retag-image.js';
import type { RetagTarget } from '../../../src/retag/types.js';

const DIGEST = 'sha256:' + 'c'.repeat(64);
const targets: RetagTarget[] = ['a', 'b', 'c', 'd'].map((repo) => ({ name: `r.example/${repo}`, registry: 'r.example', repository: repo, source: 'build', tag: 'rel' }));

function scripted(onPut: (repo: string, signal?: AbortSignal) => Promise<void>): { registry: ManifestRegistry; calls: string[] } {
  const calls: string[] = [];
  const registry: ManifestRegistry = {
    async headManifest(ref, reference): Promise<ManifestHead> {
      calls.push(`HEAD ${ref.repository}:${reference}`);
      return { found: false };
    },
    async getManifest(ref, reference): Promise<Manifest> {
      calls.push(`GET ${ref.repository}:${reference}`);
      return { digest: DIGEST, mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: Buffer.from('{}') };
    },
    async putManifest(ref, tag, _manifest, signal) {
      calls.push(`PUT ${ref.repository}:${tag}`);
      await onPut(ref.repository, signal);
      return DIGEST;
    },
  };
  return { registry, calls };
}

describe('runRetag and interrupts', () => {
  it('stop during the first PUT: that image finishes, no other starts, the run is marked interrupted', async () => {
    const stop = new AbortController();
    const { registry, calls } = scripted(async () => {
      stop.abort();
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const run = await runRetag(targets, registry, { dryRun: false, concurrency: 1, signal: stop.signal, requestSignal: new AbortController().signal });
    expect(run.interrupted).toBe(true);
    expect(run.results.map((r) => r.status)).toEqual(['created', 'not-started', 'not-started', 'not-started']);
    expect(run.results[1]!.status).toBe('not-started');
    expect(calls).toEqual(['HEAD a:rel', 'GET a:build', 'PUT a:rel']);
  });

  it('an abort of the requests in flight: the image is failed with "rerun to finish"', async () => {
    const stop = new AbortController();
    const abort = new AbortController();
    const { registry } = scripted(
      (_repo, signal) =>
        new Promise((_resolve, reject) => {
          stop.abort();
          setTimeout(() => abort.abort(), 5);
          signal?.addEventListener('abort', () => reject(new Error('request aborted')));
        }),
    );
    const run = await runRetag(targets.slice(0, 2), registry, { dryRun: false, concurrency: 1, signal: stop.signal, requestSignal: abort.signal });
    expect(run.results[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted before it finished \(request aborted\); rerun to finish$/) as unknown });
    expect(run.results[1]).toMatchObject({ status: 'not-started' });
  });
});

describe('a dry-run of a schema 1 source', () => {
  it('is failed with the message apply would give, not pending; HEADs only', async () => {
    const calls: string[] = [];
    const registry: ManifestRegistry = {
      async headManifest(ref, reference): Promise<ManifestHead> {
        calls.push(`HEAD ${ref.repository}:${reference}`);
        if (reference === 'rel') return { found: false };
        const mediaType = ref.repository === 'old' ? 'application/vnd.docker.distribution.manifest.v1+prettyjws' : 'application/vnd.oci.image.index.v1+json';
        return { found: true, digest: DIGEST, mediaType };
      },
      getManifest: () => Promise.reject(new Error('a dry-run sends no GET')),
      putManifest: () => Promise.reject(new Error('a dry-run sends no PUT')),
    };
    const two = [
      { name: 'r.example/old', registry: 'r.example', repository: 'old', source: 'build', tag: 'rel' },
      { name: 'r.example/new', registry: 'r.example', repository: 'new', source: 'build', tag: 'rel' },
    ];
    const run = await runRetag(two, registry, { dryRun: true, concurrency: 1 });
    expect(run.results.map((r) => r.status)).toEqual(['failed', 'pending']);
    expect(run.results[0]!.error).toMatch(/^r\.example\/old:build is a Docker schema 1 manifest, which embeds its tag .*cannot be copied to another tag; rebuild or re-push/);
    expect(calls).toEqual(['HEAD old:rel', 'HEAD old:build', 'HEAD new:rel', 'HEAD new:build']);
  });

  it('with --repush, a previewed move of a schema 1 source is failed too; a tag already at it stays exists', async () => {
    const OTHER = 'sha256:' + 'd'.repeat(64);
    const schema1 = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
    const registry: ManifestRegistry = {
      async headManifest(ref, reference): Promise<ManifestHead> {
        if (reference === 'rel') return { found: true, digest: ref.repository === 'moved' ? OTHER : DIGEST, mediaType: schema1 };
        return { found: true, digest: DIGEST, mediaType: schema1 };
      },
      getManifest: () => Promise.reject(new Error('a dry-run sends no GET')),
      putManifest: () => Promise.reject(new Error('a dry-run sends no PUT')),
    };
    const two = ['moved', 'same'].map((repo) => ({ name: `r.example/${repo}`, registry: 'r.example', repository: repo, source: 'build', tag: 'rel' }));
    const run = await runRetag(two, registry, { dryRun: true, concurrency: 1, repush: () => true });
    expect(run.results.map((r) => r.status)).toEqual(['failed', 'exists']);
    expect(run.results[0]!.error).toMatch(/schema 1 manifest/);
  });
});
