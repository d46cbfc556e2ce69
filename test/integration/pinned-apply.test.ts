// apply with pinned sources and racing writers, on the real registry (issue 10): a source re-pushed
// after `retag pin` is source-moved and nothing is written; a pinned digest makes apply GET by
// digest (request log of a recording proxy); two runs of one 60-image file against an
// immutable-tag registry (ECR's 400 TAG_INVALID) both end in exit 0, every image created or exists.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImmutableProxy, type ImmutableProxy } from '../helpers/immutable-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { runBinary, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

interface JsonImage {
  name: string;
  tag: string;
  status: string;
  digest: string | null;
  srcDigest?: string;
  srcDigestChecked?: boolean;
  note?: string;
  error?: string;
}
interface JsonRun {
  images: JsonImage[];
  summary: Record<string, number>;
}

describe('apply with src_digest and racing writers', () => {
  let registry: TestRegistry;
  let proxy: ImmutableProxy;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    proxy = await startImmutableProxy(registry.url);
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  const manifestRequests = (repo: string) => proxy.requests.filter((r) => r.path.startsWith(`/v2/${repo}/manifests/`)).map((r) => `${r.method} ${r.path.slice(`/v2/${repo}/manifests/`.length)}`);

  it('a source re-pushed between pin and apply: source-moved naming both digests, nothing written, exit 1', async () => {
    const [reviewed] = await seedImages(registry.client, [{ repo: 'stx/moved', tag: 'build-1', kind: 'oci-manifest', variant: 'reviewed' }]);
    const dir = await tempFiles({ 'tags.yaml': tagFile([{ name: `${proxy.host}/stx/moved`, src_build_tag: 'build-1', tag: 'stx.1' }]) });
    expect((await runInProcess(['pin', 'tags.yaml'], { cwd: dir })).code).toBe(0);
    expect(await readFile(join(dir, 'tags.yaml'), 'utf8')).toContain(`src_digest: ${reviewed!.digest}`);
    const [rebuilt] = await seedImages(registry.client, [{ repo: 'stx/moved', tag: 'build-1', kind: 'oci-manifest', variant: 'rebuilt' }]);

    for (const dryRun of [true, false]) {
      const result = await runInProcess(['apply', ...(dryRun ? ['--dry-run'] : []), '--output', 'json', 'tags.yaml'], { cwd: dir });
      expect(result.code, result.stderr).toBe(1);
      const run = JSON.parse(result.stdout) as JsonRun;
      expect(run.images[0]).toMatchObject({ status: 'source-moved', digest: rebuilt!.digest, srcDigest: reviewed!.digest, srcDigestChecked: true });
      expect(run.summary.sourceMoved).toBe(1);
    }
    const text = await runInProcess(['apply', 'tags.yaml'], { cwd: dir });
    expect(text.stdout).toContain(`build-1 now points at ${rebuilt!.digest}, not at the pinned src_digest ${reviewed!.digest}`);
    expect(await registry.client.tagDigest('stx/moved', 'stx.1')).toBeUndefined();
    expect(manifestRequests('stx/moved').filter((r) => r.startsWith('PUT'))).toEqual([]);
  }, 60_000);

  it('a pinned digest: apply GETs the source by digest, never by tag; a rerun is one HEAD per image', async () => {
    const [source] = await seedImages(registry.client, [{ repo: 'stx/pinned', tag: 'build-1', kind: 'docker-list' }]);
    const dir = await tempFiles({ 'tags.yaml': tagFile([{ name: `${proxy.host}/stx/pinned`, src_build_tag: 'build-1', tag: 'stx.1' }]) });
    expect((await runInProcess(['pin', 'tags.yaml'], { cwd: dir })).code).toBe(0);
    const before = proxy.requests.length;
    const result = await runInProcess(['apply', '--output', 'json', 'tags.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as JsonRun).images[0]).toMatchObject({ status: 'created', srcDigest: source!.digest, srcDigestChecked: true });
    const sent = proxy.requests.slice(before).filter((r) => r.path.startsWith('/v2/stx/pinned/manifests/'));
    const gets = sent.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(gets).toEqual([`/v2/stx/pinned/manifests/${source!.digest}`]);
    expect(await registry.client.tagDigest('stx/pinned', 'stx.1')).toBe(source!.digest);

    const again = proxy.requests.length;
    const rerun = await runInProcess(['apply', '--output', 'json', 'tags.yaml'], { cwd: dir });
    expect((JSON.parse(rerun.stdout) as JsonRun).images[0]).toMatchObject({ status: 'exists', srcDigestChecked: false });
    expect(proxy.requests.slice(again).filter((r) => r.path.startsWith('/v2/stx/pinned/manifests/')).map((r) => r.method)).toEqual(['HEAD']);
  }, 60_000);

  it('two apply runs of one 60-image file on an immutable-tag registry: both exit 0, every image created or exists', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({ repo: `race/img-${String(i).padStart(2, '0')}`, tag: 'build-1' }));
    const seeded = await seedImages(
      registry.client,
      entries.map((e) => ({ ...e, kind: 'docker-v2' as const, variant: e.repo })),
    );
    const dir = await tempFiles({ 'tags.yaml': tagFile(entries.map((e) => ({ name: `${proxy.host}/${e.repo}`, src_build_tag: e.tag, tag: 'stx.race' }))) });
    const putsBefore = proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/stx.race')).length;
    const [first, second] = await Promise.all([
      runBinary(['apply', '--output', 'json', 'tags.yaml'], { cwd: dir }),
      runBinary(['apply', '--output', 'json', 'tags.yaml'], { cwd: dir }),
    ]);
    const runs = [first, second].map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as JsonRun;
    });
    for (const run of runs) {
      expect(run.images.every((i) => i.status === 'created' || i.status === 'exists'), JSON.stringify(run.images.filter((i) => i.status !== 'created' && i.status !== 'exists'))).toBe(true);
      expect(run.summary.failed).toBe(0);
    }
    // each tag was written by exactly one of the runs, and holds its source
    expect(runs[0]!.summary.created! + runs[1]!.summary.created!).toBe(60);
    for (const image of seeded) expect(await registry.client.tagDigest(image.repo, 'stx.race')).toBe(image.digest);
    // never a second PUT of one image by one run: at most two PUTs per tag in all
    const puts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/stx.race'));
    expect(puts.length - putsBefore).toBeLessThanOrEqual(120);
    const refused = puts.filter((r) => r.status === 400).length;
    const notes = runs.flatMap((run) => run.images.filter((i) => i.note === 'created meanwhile by another writer')).length;
    expect(notes).toBe(refused);
  }, 120_000);
});
