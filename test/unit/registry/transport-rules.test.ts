import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registryBaseUrl } from '../../../src/registry/client.js';
import { authsFileStore } from '../../../src/registry/credentials.js';
import { Secret } from '../../../src/registry/secret.js';

describe('registryBaseUrl', () => {
  it.each([
    ['docker.io', [], 'https://registry-1.docker.io'],
    ['quay.io', [], 'https://quay.io'],
    ['localhost:5000', [], 'http://localhost:5000'],
    ['127.0.0.1:5000', [], 'http://127.0.0.1:5000'],
    ['[::1]:5000', [], 'http://[::1]:5000'],
    ['registry.lab:5000', [], 'https://registry.lab:5000'],
    ['registry.lab:5000', ['registry.lab:5000'], 'http://registry.lab:5000'],
    ['registry.lab:5000', ['registry.lab'], 'http://registry.lab:5000'],
    ['registry.lab:5000', ['other.lab'], 'https://registry.lab:5000'],
  ])('%s with insecure %j -> %s', (registry, insecure, expected) => {
    expect(registryBaseUrl(registry, insecure)).toBe(expected);
  });
});

describe('authsFileStore', () => {
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hub:pass').toString('base64') },
      'registry.lab:5000': { username: 'lab', password: 'lab-pw' },
      'https://quay.io': { identitytoken: 'quay-refresh-token' },
      'broken.example': { auth: 'bm9jb2xvbg==' },
    },
  };

  it.each([
    ['docker.io', { kind: 'basic', username: 'hubuser', secret: 'hub:pass' }],
    ['registry.lab:5000', { kind: 'basic', username: 'lab', secret: 'lab-pw' }],
    ['quay.io', { kind: 'identity-token', username: undefined, secret: 'quay-refresh-token' }],
    ['broken.example', undefined],
    ['unknown.example', undefined],
  ])('%s', async (registry, expected) => {
    const dir = await mkdtemp(join(tmpdir(), 'retag-cred-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    const found = await authsFileStore(join(dir, 'config.json'), 'test config').lookup(registry);
    expect(found.searched).toEqual(['test config']);
    if (!expected) {
      expect(found.credential).toBeUndefined();
      return;
    }
    const credential = found.credential!;
    expect(credential.kind).toBe(expected.kind);
    const secret = credential.kind === 'basic' ? credential.password : credential.token;
    expect(secret.reveal()).toBe(expected.secret);
    if (credential.kind === 'basic') expect(credential.username).toBe(expected.username);
  });

  it('a missing or malformed file means no credentials, not a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retag-cred-'));
    await writeFile(join(dir, 'bad.json'), '{not json');
    expect((await authsFileStore(join(dir, 'bad.json'), 'bad').lookup('x.io')).credential).toBeUndefined();
    expect((await authsFileStore(join(dir, 'none.json'), 'none').lookup('x.io')).credential).toBeUndefined();
  });
});

describe('Secret', () => {
  it('never prints its value', () => {
    const secret = new Secret('hunter2');
    expect(String(secret)).toBe('[REDACTED]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[REDACTED]"}');
    expect(inspect({ secret })).not.toContain('hunter2');
    expect(`${secret}`).not.toContain('hunter2');
    expect(secret.reveal()).toBe('hunter2');
  });
});
