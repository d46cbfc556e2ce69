// Which registry --username/--password-stdin are for, and when a run asks a token per repository.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explicitCredentialRegistry } from '../../../src/cli/credential-options.js';
import { UsageError } from '../../../src/cli/exit-codes.js';
import { hasRepositoryKeys } from '../../../src/registry/credentials.js';

const images = (...registries: string[]) => registries.map((registry) => ({ registry }));

describe('explicitCredentialRegistry', () => {
  it.each([
    ['one registry, none named: that one', images('quay.io', 'quay.io'), undefined, 'quay.io'],
    ['Docker Hub under two names is one registry', images('docker.io', 'index.docker.io'), undefined, 'docker.io'],
    ['several, one named', images('quay.io', 'registry.lab:5000'), 'registry.lab:5000', 'registry.lab:5000'],
    ['named without case', images('quay.io', 'registry.lab:5000'), 'QUAY.io', 'QUAY.io'],
  ])('%s', (_name, run, named, expected) => {
    expect(explicitCredentialRegistry(run, named)).toBe(expected);
  });

  it.each([
    ['several, none named', images('quay.io', 'registry.lab:5000', 'quay.io'), undefined, /images are on 2: quay\.io, registry\.lab:5000; add --registry HOST\[:PORT\]/],
    ['named but not in the run', images('quay.io'), 'registry.lab:5000', /--registry registry\.lab:5000 is not a registry of this run's images \(quay\.io\)/],
    ['a port is part of the registry', images('registry.lab:5000'), 'registry.lab', /--registry registry\.lab is not a registry/],
  ])('%s: usage error', (_name, run, named, message) => {
    expect(() => explicitCredentialRegistry(run, named)).toThrow(UsageError);
    expect(() => explicitCredentialRegistry(run, named)).toThrow(message);
  });
});

describe('hasRepositoryKeys', () => {
  async function homeWith(auths: Record<string, unknown>): Promise<string> {
    const home = await mkdtemp(join(tmpdir(), 'retag-home-'));
    await mkdir(join(home, '.docker'));
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths }));
    return home;
  }

  it.each([
    ['a namespace key for a registry of the run', { 'quay.io/team': {} }, ['quay.io'], true],
    ['Docker Hub namespace key, image on docker.io', { 'index.docker.io/starlingx': {} }, ['docker.io'], true],
    ['registry keys only', { 'quay.io': {}, 'https://index.docker.io/v1/': {} }, ['quay.io', 'docker.io'], false],
    ['a namespace key for another registry', { 'ghcr.io/team': {} }, ['quay.io'], false],
  ])('%s: %s', async (_name, auths, registries, expected) => {
    const home = await homeWith(auths);
    expect(await hasRepositoryKeys({ env: { HOME: home }, home, uid: undefined }, registries)).toBe(expected);
  });

  it('a file that is not JSON: false here (its error comes with the lookup)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'retag-home-'));
    await mkdir(join(home, '.docker'));
    await writeFile(join(home, '.docker', 'config.json'), '{not json');
    expect(await hasRepositoryKeys({ env: { HOME: home }, home, uid: undefined }, ['quay.io'])).toBe(false);
  });
});
