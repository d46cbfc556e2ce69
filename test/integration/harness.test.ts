// Smoke test of the integration harness itself: a real docker-registry per auth mode, seeded
// with every manifest kind, checked with the harness's own client and with skopeo (an
// independent client), so later integration tests can trust what the harness reports.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, AdminClientError, sha256Digest } from '../helpers/admin-client.js';
import { startRegistry, type RegistryAuth, type TestRegistry } from '../helpers/registry-process.js';
import { schema1Payload } from '../helpers/schema1.js';
import { MEDIA_TYPES, SEED_KINDS_V2, seedImages, type SeededImage } from '../helpers/seed.js';
import type { TokenRequest } from '../helpers/token-server.js';

const execFileAsync = promisify(execFile);

const EXPECTED_MEDIA_TYPE = {
  'docker-v2': MEDIA_TYPES.dockerManifest,
  'docker-list': MEDIA_TYPES.dockerList,
  'oci-manifest': MEDIA_TYPES.ociManifest,
  'oci-index': MEDIA_TYPES.ociIndex,
  'docker-schema1': MEDIA_TYPES.dockerSchema1Signed,
} as const;

/** `skopeo inspect --raw`: the manifest bytes as another client fetches them. */
async function skopeoRaw(registry: TestRegistry, repo: string, tag: string): Promise<Buffer> {
  const creds =
    registry.auth === 'none' ? ['--no-creds'] : ['--creds', `admin:${registry.users.admin ?? ''}`];
  const { stdout } = await execFileAsync(
    'skopeo',
    ['inspect', '--raw', '--tls-verify=false', ...creds, `docker://${registry.host}/${repo}:${tag}`],
    { encoding: 'buffer', timeout: 15_000 },
  );
  return stdout;
}

describe.each<RegistryAuth>(['none', 'basic', 'token'])('harness, auth=%s', (auth) => {
  let registry: TestRegistry;
  let seeded: SeededImage[];
  let seedTokenRequests: TokenRequest[] = [];
  const modern = (): SeededImage[] => seeded.filter((i) => i.kind !== 'docker-schema1');

  beforeAll(async () => {
    registry = await startRegistry({ auth, schema1: true });
    seeded = await seedImages(registry.client, [
      ...SEED_KINDS_V2.map((kind) => ({ repo: `harness/${kind}`, tag: 'v1', kind })),
      { repo: 'harness/docker-schema1', tag: 'v1', kind: 'docker-schema1' },
    ]);
    seedTokenRequests = [...(registry.tokenServer?.requests ?? [])];
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('serves exactly the seeded bytes under the sha256 of those bytes', async () => {
    for (const image of modern()) {
      const got = await registry.client.getManifest(image.repo, image.tag);
      expect(got.status, image.kind).toBe(200);
      expect(got.bytes?.equals(image.bytes), image.kind).toBe(true);
      expect(got.mediaType, image.kind).toBe(EXPECTED_MEDIA_TYPE[image.kind]);
      expect(got.digest, image.kind).toBe(sha256Digest(image.bytes));
      expect(image.digest, image.kind).toBe(sha256Digest(image.bytes));
      expect(await registry.client.tagDigest(image.repo, image.tag), image.kind).toBe(image.digest);
      expect(await registry.client.listTags(image.repo), image.kind).toEqual(['v1']);
    }
  });

  it('serves schema 1 re-signed, digested over the unsigned payload', async () => {
    const image = seeded.find((i) => i.kind === 'docker-schema1');
    if (!image) throw new Error('docker-schema1 not seeded');
    const payload = schema1Payload(image.bytes);
    expect(image.digest).toBe(sha256Digest(payload));
    const got = await registry.client.getManifest(image.repo, image.tag);
    expect(got.mediaType).toBe(MEDIA_TYPES.dockerSchema1Signed);
    expect(got.digest).toBe(image.digest);
    expect(got.bytes?.equals(image.bytes)).toBe(false);
    expect(got.bytes && schema1Payload(got.bytes).equals(payload)).toBe(true);
    expect(await registry.client.tagDigest(image.repo, image.tag)).toBe(image.digest);
  });

  it('writes manifests that a re-serialising client would change', () => {
    for (const image of modern()) {
      const text = image.bytes.toString('utf8');
      expect(JSON.stringify(JSON.parse(text))).not.toBe(text);
      expect(JSON.stringify(JSON.parse(text), null, 2)).not.toBe(text);
      expect(JSON.stringify(JSON.parse(text), null, 3) + '\n').not.toBe(text);
    }
  });

  it('pushes the platform children of lists and indexes by digest', async () => {
    const lists = seeded.filter((i) => i.children.length > 0);
    expect(lists.map((i) => i.kind).sort()).toEqual(['docker-list', 'oci-index']);
    for (const list of lists) {
      const referenced = (JSON.parse(list.bytes.toString('utf8')) as { manifests: { digest: string }[] }).manifests;
      expect(referenced.map((m) => m.digest)).toEqual(list.children.map((c) => c.digest));
      for (const child of list.children) {
        const got = await registry.client.getManifest(list.repo, child.digest);
        expect(got.bytes?.equals(child.bytes)).toBe(true);
        expect(got.digest).toBe(sha256Digest(child.bytes));
      }
    }
  });

  it('answers 404 and no digest for a tag that does not exist', async () => {
    expect(await registry.client.tagDigest('harness/docker-v2', 'absent')).toBeUndefined();
    expect((await registry.client.getManifest('harness/docker-v2', 'absent')).status).toBe(404);
    expect(await registry.client.listTags('harness/never-pushed')).toEqual([]);
  });

  it('agrees with skopeo on every seeded manifest', async () => {
    await Promise.all(
      seeded.map(async (image) => {
        const raw = await skopeoRaw(registry, image.repo, image.tag);
        if (image.kind === 'docker-schema1') {
          expect(schema1Payload(raw).equals(schema1Payload(image.bytes))).toBe(true);
        } else {
          expect(raw.equals(image.bytes), image.kind).toBe(true);
        }
      }),
    );
  });

  it.runIf(auth !== 'none')('refuses a wrong password', async () => {
    const intruder = new AdminClient({ url: registry.url, credentials: { username: 'admin', password: 'wrong' } });
    // Basic: the registry answers 401; token: the realm does, before the registry is asked.
    await expect(intruder.tagDigest('harness/docker-v2', 'v1')).rejects.toMatchObject({ status: 401 });
  });

  it.runIf(auth === 'token')('fetches tokens from the token server, scoped per repository', () => {
    // One token per repository while seeding: the admin client caches them.
    expect(seedTokenRequests).toHaveLength(SEED_KINDS_V2.length + 1);
    expect(seedTokenRequests.every((r) => r.status === 200 && r.user === 'admin')).toBe(true);
    const scopes = new Set(seedTokenRequests.flatMap((r) => r.scopes));
    for (const kind of [...SEED_KINDS_V2, 'docker-schema1']) {
      expect(scopes).toContain(`repository:harness/${kind}:pull,push`);
    }
  });

  it.runIf(auth === 'token')('lets reader pull but not push', async () => {
    const reader = registry.clientAs('reader');
    const got = await reader.getManifest('harness/oci-index', 'v1');
    expect(got.status).toBe(200);
    const before = registry.tokenServer?.requests.length ?? 0;
    const push = reader.pushBlob('harness/oci-index', Buffer.from('reader was here'));
    await expect(push).rejects.toBeInstanceOf(AdminClientError);
    await expect(push).rejects.toMatchObject({ status: 401 });
    expect(registry.tokenServer?.requests.length).toBe(before); // token cached per repository
    const image = seeded.find((i) => i.kind === 'docker-v2');
    if (!image) throw new Error('docker-v2 not seeded');
    await expect(reader.putManifest(image.repo, 'reader-tag', image.bytes, image.mediaType)).rejects.toMatchObject({
      status: 401,
    });
    expect(await registry.client.tagDigest(image.repo, 'reader-tag')).toBeUndefined();
  });

  it.runIf(auth === 'token')('grants the asked actions the user holds, per repeated scope', async () => {
    const server = registry.tokenServer;
    if (!server) throw new Error('no token server');
    const url = new URL(server.realm);
    url.searchParams.set('service', server.service);
    url.searchParams.append('scope', 'repository:one/a:pull,push');
    url.searchParams.append('scope', 'repository:two/b:pull');
    const basic = Buffer.from(`reader:${registry.users.reader ?? ''}`).toString('base64');
    const res = await fetch(url, { headers: { authorization: `Basic ${basic}` } });
    const body = (await res.json()) as { token: string; access_token: string; expires_in: number };
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBe(300);
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      aud: string;
      access: unknown[];
    };
    expect(claims.aud).toBe(server.service);
    expect(claims.access).toEqual([
      { type: 'repository', name: 'one/a', actions: ['pull'] },
      { type: 'repository', name: 'two/b', actions: ['pull'] },
    ]);
    expect(server.requests.at(-1)).toMatchObject({
      user: 'reader',
      scopes: ['repository:one/a:pull,push', 'repository:two/b:pull'],
    });
  });

  it.runIf(auth === 'token')('delays token answers when asked to', async () => {
    const server = registry.tokenServer;
    if (!server) throw new Error('no token server');
    server.delayMs = 150;
    try {
      const started = Date.now();
      await registry.clientAs('admin').tagDigest('harness/docker-v2', 'v1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    } finally {
      server.delayMs = 0;
    }
  });

  it.runIf(auth === 'token')('gives an anonymous client no access', async () => {
    const got = await registry.clientAs(undefined).getManifest('harness/docker-v2', 'v1');
    expect(got.status).toBe(401);
    const last = registry.tokenServer?.requests.at(-1);
    expect(last?.status).toBe(200);
    expect(last?.user).toBeUndefined();
  });
});

describe('seeding', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('gives the same digest for the same kind and variant, another for another variant', async () => {
    const [a, b, c] = await seedImages(registry.client, [
      { repo: 'seed/same', tag: 'a', kind: 'oci-index', variant: 'x' },
      { repo: 'seed/same', tag: 'b', kind: 'oci-index', variant: 'x' },
      { repo: 'seed/same', tag: 'c', kind: 'oci-index', variant: 'y' },
    ]);
    expect(a?.digest).toBe(b?.digest);
    expect(c?.digest).not.toBe(a?.digest);
    expect(await registry.client.listTags('seed/same')).toEqual(['a', 'b', 'c']);
  });

  it('cannot seed schema 1 unless the registry enables it', async () => {
    const seeding = seedImages(registry.client, [{ repo: 'seed/old', tag: 'v1', kind: 'docker-schema1' }]);
    // distribution 2.8 answers 500 UNKNOWN (logging "manifest schema v1 unsupported"), not 400.
    await expect(seeding).rejects.toMatchObject({ status: 500 });
  });
});
