// A registry whose GET /v2/ answers 200 without credentials (anonymous pulls, as Nexus or
// Artifactory may be set up) but whose manifests ask for them: the 401's challenge is learnt
// then, and the credentials are sent. Faked with a proxy that answers /v2/ itself.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

describe.each(['basic', 'token'] as const)('an open /v2/ in front of %s auth', (auth) => {
  let registry: TestRegistry;
  let proxy: FaultProxy;

  beforeAll(async () => {
    registry = await startRegistry({ auth });
    await seedImages(registry.client, [{ repo: 'open/app', tag: 'build-1', kind: 'oci-index' }]);
    proxy = await startFaultProxy(registry.url);
    proxy.add({ method: 'GET', path: '/v2/', action: { kind: 'status', status: 200, body: '{}' } });
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  it('creates the tag with the credentials the 401 asked for', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [proxy.host]: { auth: basicAuth('admin', registry.users.admin!) } }) };
    const dir = await tempFiles({ 't.yaml': tagFile([{ name: `${proxy.host}/open/app`, src_build_tag: 'build-1', tag: 'v1' }]) });
    const result = await runInProcess(['apply', '--output', 'json', 't.yaml'], { cwd: dir, env });
    expect(result.stdout).toContain('"status": "created"');
    expect(result.code).toBe(0);
    expect(await registry.client.tagDigest('open/app', 'v1')).toBeDefined();
  });
});
