// What a run costs, counted where it lands: a proxy in front of a real token-auth docker-registry
// records every request, the token server every token request. A new tag is exactly HEAD target,
// GET source, PUT; an existing tag and a dry-run are HEADs only (no Docker Hub pull); the realm is
// learnt by one GET /v2/ per run, never by a 401 per repository.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isManifestPath, startLatencyProxy, type LatencyProxy, type ProxiedRequest } from '../helpers/latency-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages, type SeedKind } from '../helpers/seed.js';
import type { TokenRequest } from '../helpers/token-server.js';

const SRC = 'master-debian-stable-20260101T000000Z.0';
const NEW: { repo: string; kind: SeedKind }[] = [
  { repo: 'stx/count-docker-v2', kind: 'docker-v2' },
  { repo: 'stx/count-docker-list', kind: 'docker-list' },
  { repo: 'stx/count-oci-manifest', kind: 'oci-manifest' },
  { repo: 'stx/count-oci-index', kind: 'oci-index' },
  { repo: 'stx/count-more-a', kind: 'docker-v2' },
  { repo: 'stx/count-more-b', kind: 'oci-index' },
];
const EXISTING = ['stx/count-done-a', 'stx/count-done-b'];
const REPOS = [...NEW.map((n) => n.repo), ...EXISTING];

interface Phase {
  registry: ProxiedRequest[];
  manifests: ProxiedRequest[];
  tokens: TokenRequest[];
  connections: number;
  code: number;
  stdout: string;
}

describe('requests per image (token auth, counted at the registry)', () => {
  let registry: TestRegistry;
  let proxy: LatencyProxy;
  let env: NodeJS.ProcessEnv;
  let dir: string;

  const repoOf = (path: string): string => /^\/v2\/(.+)\/manifests\//.exec(path)?.[1] ?? '';
  const forRepo = (phase: Phase, repo: string) => phase.manifests.filter((r) => repoOf(r.path) === repo).map((r) => `${r.method} ${r.path.split('/').at(-1)}`);

  async function measure(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Phase> {
    const fromProxy = proxy.requests.length;
    const fromRealm = registry.tokenServer!.requests.length;
    const fromConnections = proxy.connections;
    const result = await runInProcess(args, { cwd: dir, env: { ...env, ...extraEnv } });
    const seen = proxy.requests.slice(fromProxy);
    return {
      registry: seen,
      manifests: seen.filter((r) => isManifestPath(r.path)),
      tokens: registry.tokenServer!.requests.slice(fromRealm),
      connections: proxy.connections - fromConnections,
      code: result.code,
      stdout: result.stdout,
    };
  }

  function expectNoAuthRoundTrips(phase: Phase): void {
    // one version check for the run (its 401 carries the challenge), and no other request the
    // registry had to refuse for want of a token
    expect(phase.registry.filter((r) => r.path === '/v2/')).toHaveLength(1);
    expect(phase.registry.filter((r) => r.status === 401 && r.path !== '/v2/')).toEqual([]);
    // keep-alive: connections are reused, at most two per image in flight (its two HEADs go out
    // together), so 2 x --concurrency (8) of them to the registry
    expect(phase.connections).toBeLessThanOrEqual(2 * 8);
  }

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' });
    proxy = await startLatencyProxy({ target: registry.url, delayMs: 0 });
    await seedImages(registry.client, [
      ...NEW.map(({ repo, kind }) => ({ repo, tag: SRC, kind, variant: repo })),
      ...EXISTING.flatMap((repo) => [
        { repo, tag: SRC, kind: 'oci-manifest' as const, variant: 'same' },
        { repo, tag: 'rel-1', kind: 'oci-manifest' as const, variant: 'same' },
        { repo, tag: 'rel-2', kind: 'oci-manifest' as const, variant: 'same' },
      ]),
    ]);
    const entries = (tag: string) => REPOS.map((repo) => ({ name: `${proxy.host}/${repo}`, src_build_tag: SRC, tag }));
    dir = await tempFiles({ 'rel-1.yaml': tagFile(entries('rel-1')), 'rel-2.yaml': tagFile(entries('rel-2')) });
    env = { DOCKER_CONFIG: await dockerConfig({ [proxy.host]: { auth: basicAuth('admin', registry.users.admin!) } }) };
  });

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('dry-run: two HEADs per image, no manifest GET, one token request for every repository', async () => {
    const phase = await measure(['apply', '--dry-run', 'rel-1.yaml']);
    expect(phase.code).toBe(0);
    expect(phase.stdout).toMatch(/8 images: 6 pending, 2 exist/);
    expect(phase.manifests.every((r) => r.method === 'HEAD')).toBe(true);
    expect(phase.manifests).toHaveLength(2 * REPOS.length);
    for (const repo of REPOS) expect(forRepo(phase, repo)).toEqual(['HEAD rel-1', `HEAD ${SRC}`]);
    expectNoAuthRoundTrips(phase);
    expect(phase.tokens).toHaveLength(1);
    // pull,push like apply (issue 10): the grant tells whether apply could push; still one request
    expect(phase.tokens[0]!.scopes.sort()).toEqual(REPOS.map((r) => `repository:${r}:pull,push`).sort());
  });

  it('apply: a new tag is HEAD target, GET source, PUT; an existing one two HEADs', async () => {
    const phase = await measure(['apply', 'rel-1.yaml']);
    expect(phase.code).toBe(0);
    expect(phase.stdout).toMatch(/8 images: 6 created, 2 exist/);
    for (const { repo } of NEW) expect(forRepo(phase, repo)).toEqual(['HEAD rel-1', `GET ${SRC}`, 'PUT rel-1']);
    for (const repo of EXISTING) expect(forRepo(phase, repo)).toEqual(['HEAD rel-1', `HEAD ${SRC}`]);
    expect(phase.manifests).toHaveLength(3 * NEW.length + 2 * EXISTING.length);
    expect(phase.registry.filter((r) => !isManifestPath(r.path) && r.path !== '/v2/')).toEqual([]); // no blob request
    expectNoAuthRoundTrips(phase);
    expect(phase.tokens).toHaveLength(1);
    expect(phase.tokens[0]!.scopes.sort()).toEqual(REPOS.map((r) => `repository:${r}:pull,push`).sort());
  });

  it('rerun: HEADs only, nothing written, no pull; --concurrency caps the connections', async () => {
    const phase = await measure(['apply', '--concurrency', '2', 'rel-1.yaml']);
    expect(phase.connections).toBeLessThanOrEqual(2 * 2);
    expect(phase.code).toBe(0);
    expect(phase.stdout).toMatch(/8 images: 0 created, 8 exist/);
    expect(phase.manifests).toHaveLength(2 * REPOS.length);
    expect(phase.manifests.every((r) => r.method === 'HEAD')).toBe(true);
    expectNoAuthRoundTrips(phase);
  });

  it('one token request per repository when batching is off, same manifest requests', async () => {
    const phase = await measure(['apply', 'rel-2.yaml'], { RETAG_TOKEN_SCOPES_PER_REQUEST: '1' });
    expect(phase.code).toBe(0);
    for (const { repo } of NEW) expect(forRepo(phase, repo)).toEqual(['HEAD rel-2', `GET ${SRC}`, 'PUT rel-2']);
    expectNoAuthRoundTrips(phase);
    expect(phase.tokens).toHaveLength(REPOS.length);
    expect(phase.tokens.every((t) => t.scopes.length === 1)).toBe(true);
    expect(new Set(phase.tokens.flatMap((t) => t.scopes)).size).toBe(REPOS.length);
  });
});
