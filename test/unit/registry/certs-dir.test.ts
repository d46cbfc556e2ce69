import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher, hostCas } from '../../../src/registry/dispatcher.js';

// An entry under certs.d that cannot be read as a file is skipped, not an error: a folder named
// x.crt, a dangling link (a file without read permission is the same case, but tests run as root).
async function certsDirWithUnreadableEntries(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'retag-certs-'));
  const host = join(dir, 'registry.lab:5000');
  await mkdir(host);
  await writeFile(join(host, 'a.crt'), 'CA-A');
  await mkdir(join(host, 'b.crt')); // EISDIR when read
  await symlink(join(dir, 'nowhere.pem'), join(host, 'c.crt')); // ENOENT when read
  await writeFile(join(host, 'd.crt'), 'CA-D');
  // a host folder holding only an unreadable entry
  await mkdir(join(dir, 'other.lab'));
  await mkdir(join(dir, 'other.lab', 'ca.crt'));
  return dir;
}

describe('certs.d entries that cannot be read', () => {
  it('hostCas skips them and keeps the readable ones', async () => {
    const dir = await certsDirWithUnreadableEntries();
    expect(hostCas(dir, 'registry.lab:5000')).toEqual(['CA-A', 'CA-D']);
    expect(hostCas(dir, 'other.lab')).toEqual([]);
  });

  it('a proxy run (every host CA read when the dispatcher is built) does not throw', async () => {
    const dir = await certsDirWithUnreadableEntries();
    const dispatcher = createDispatcher({ certsDir: dir, env: { HTTPS_PROXY: 'http://127.0.0.1:9' } });
    await dispatcher.close();
  });

  it('a run without a proxy sends the request to that host (its pool and CA list built) instead of throwing', async () => {
    const dir = await certsDirWithUnreadableEntries();
    // nothing listens on port 9 of loopback: the request can only fail to connect
    await mkdir(join(dir, '127.0.0.1:9'));
    await mkdir(join(dir, '127.0.0.1:9', 'x.crt'));
    const dispatcher = createDispatcher({ certsDir: dir, env: {}, requestTimeoutMs: 2_000 });
    const error = await dispatcher
      .request({ origin: 'https://127.0.0.1:9', path: '/v2/', method: 'GET' })
      .then(() => undefined, (e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    await dispatcher.close();
  });
});
