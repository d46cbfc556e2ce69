// One auth file as a store: the entry forms, most specific key, legacy ~/.dockercfg, and the
// errors for a file that exists but cannot be used (named, never quoting the file's text).
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authFileStore, chainStores, explicitStore, type CredentialSource } from '../../../src/registry/credentials.js';
import { RegistryError } from '../../../src/registry/errors.js';
import { Secret } from '../../../src/registry/secret.js';

async function fileWith(content: string, format: CredentialSource['format'] = 'auths', named = false): Promise<CredentialSource> {
  const dir = await mkdtemp(join(tmpdir(), 'retag-cred-'));
  const path = join(dir, 'auth.json');
  await writeFile(path, content);
  return { path, label: 'test file', format, named };
}

function shown(found: Awaited<ReturnType<ReturnType<typeof authFileStore>['lookup']>>) {
  const c = found.credential;
  if (!c) return undefined;
  return c.kind === 'basic' ? `${c.username}:${c.password.reveal()}` : `token:${c.token.reveal()}`;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('authFileStore: entries and keys', () => {
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
      'docker.io/starlingx': { auth: b64('stx-bot:stx-pw') },
      'registry.lab:5000': { username: 'lab', password: 'lab-pw' },
      'registry.lab:5000/team/app': { auth: b64('app-bot:app-pw') },
      'https://quay.io': { identitytoken: 'quay-refresh-token' },
      'broken.example': { auth: 'bm9jb2xvbg==' },
      'placeholder.example': {},
    },
    credHelpers: {},
  };

  it.each([
    ['docker.io', 'library/ubuntu', 'hubuser:hub:pass', '"https://index.docker.io/v1/"'],
    ['docker.io', 'starlingx/stx-nova', 'stx-bot:stx-pw', '"docker.io/starlingx"'],
    ['index.docker.io', 'starlingx/stx-nova', 'stx-bot:stx-pw', '"docker.io/starlingx"'],
    ['registry.lab:5000', 'team/app', 'app-bot:app-pw', '"registry.lab:5000/team/app"'],
    ['registry.lab:5000', 'team/app2', 'lab:lab-pw', '"registry.lab:5000"'],
    ['registry.lab:5000', undefined, 'lab:lab-pw', '"registry.lab:5000"'],
    ['quay.io', 'x/y', 'token:quay-refresh-token', '"https://quay.io"'],
    ['broken.example', 'x', undefined, undefined],
    ['placeholder.example', 'x', undefined, undefined],
    ['unknown.example', 'x', undefined, undefined],
  ])('%s %s -> %s', async (registry, repository, expected, key) => {
    const found = await authFileStore(await fileWith(JSON.stringify(config))).lookup(registry, repository);
    expect(shown(found)).toBe(expected);
    expect(found.searched).toEqual(['test file']);
    if (key) expect(found.source).toBe(`test file (auths ${key})`);
  });

  it('~/.dockercfg: the legacy form, keys are registries', async () => {
    const source = await fileWith(JSON.stringify({ 'https://registry.lab/v1/': { auth: b64('old:old-pw'), email: 'x@y' } }), 'legacy');
    expect(shown(await authFileStore(source).lookup('registry.lab', 'a/b'))).toBe('old:old-pw');
  });

  it('a missing default file: nothing found, no error', async () => {
    const source: CredentialSource = { path: '/nonexistent/auth.json', label: '~/.docker/config.json', format: 'auths', named: false };
    expect(await authFileStore(source).lookup('x.io')).toEqual({ searched: ['~/.docker/config.json'] });
  });

  it('a missing named file: nothing found, said in the searched list', async () => {
    const source: CredentialSource = { path: '/nonexistent/auth.json', label: '$REGISTRY_AUTH_FILE', format: 'auths', named: true };
    expect((await authFileStore(source).lookup('x.io')).searched).toEqual(['$REGISTRY_AUTH_FILE (no such file: /nonexistent/auth.json)']);
  });
});

describe('authFileStore: a file that cannot be used is an error naming it', () => {
  it.each([
    ['not JSON', '{"auths": {"x.io": {"auth": "c2VjcmV0LXZhbHVl"', /test file \(.*auth\.json\) is not valid JSON/],
    ['auths is a list', '{"auths": []}', /test file \(.*\) has an unexpected shape at "auths" \(expected record\)/],
    ['an entry field of the wrong type', '{"auths": {"x.io": {"auth": 5}}}', /has an unexpected shape at "auths"\."x\.io"\."auth" \(expected string\)/],
    ['credsStore not a string', '{"credsStore": {}}', /unexpected shape at "credsStore"/],
  ])('%s', async (_name, content, message) => {
    const error = await authFileStore(await fileWith(content)).lookup('x.io', 'a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toMatch(/^x\.io: credentials file /);
    expect((error as RegistryError).message).toMatch(message);
    expect((error as RegistryError).message).not.toContain('c2VjcmV0LXZhbHVl');
  });

  it('a folder where the file should be', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retag-cred-'));
    await mkdir(join(dir, 'auth.json'));
    const source: CredentialSource = { path: join(dir, 'auth.json'), label: 'test file', format: 'auths', named: false };
    await expect(authFileStore(source).lookup('x.io')).rejects.toThrow(/test file \(.*\) cannot be read \(EISDIR\)/);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file (not as root)', async () => {
    const source = await fileWith('{}');
    await chmod(source.path, 0o000);
    await expect(authFileStore(source).lookup('x.io')).rejects.toThrow(/cannot be read \(EACCES\)/);
  });
});

describe('explicitStore: one registry only', () => {
  const store = chainStores([explicitStore('ci', new Secret('pw'), 'registry.lab:5000')]);
  it.each([
    ['registry.lab:5000', true],
    ['REGISTRY.lab:5000', true],
    ['registry.lab', false],
    ['registry.lab:5001', false],
    ['docker.io', false],
  ])('%s: %s', async (registry, given) => {
    const found = await store.lookup(registry, 'a/b');
    expect(found.credential !== undefined).toBe(given);
    expect(found.searched).toEqual(['--username/--password-stdin (for registry.lab:5000)']);
  });

  it('Docker Hub under any of its names', async () => {
    const hub = explicitStore('ci', new Secret('pw'), 'index.docker.io');
    expect((await hub.lookup('docker.io')).credential).toBeDefined();
  });
});
