// Where credentials are found (issue 12), with the real binary against a real registry in
// htpasswd and token modes. Every run has a fresh HOME: only the files a test writes count.
//  - each place of the lookup order holds the right password and every later place a wrong
//    one: the run succeeds, so the place is read and comes before all later ones (with
//    XDG_RUNTIME_DIR/XDG_CONFIG_HOME/DOCKER_CONFIG set, and unset: /run/containers/$UID, ~/...);
//  - host/namespace keys: the most specific wins, per repository;
//  - `skopeo login --authfile F`, then `retag apply --authfile F`;
//  - a file that cannot be used is an error naming it; secrets never in stdout or stderr.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, runBinary, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

const execFileAsync = promisify(execFile);
const SRC = 'build-20260101T000000Z.0';
const WRONG = 'Wrong-Location-pw-41x';
const IS_ROOT = process.getuid?.() === 0;

interface JsonRun {
  images: { name: string; status: string; error?: string }[];
}

interface Place {
  name: string;
  /** where the file goes, given the run's folders */
  path(dirs: Dirs): string;
  legacy?: boolean;
}

interface Dirs {
  cwd: string;
  home: string;
  runtime: string;
  configHome: string;
  dockerConfig: string;
  registryAuthFile: string;
}

/** The lookup order with every variable set (the run's env sets them all). */
const WITH_VARIABLES: Place[] = [
  { name: '--authfile', path: (d) => join(d.cwd, 'ci-auth.json') },
  { name: '$REGISTRY_AUTH_FILE', path: (d) => d.registryAuthFile },
  { name: '$XDG_RUNTIME_DIR/containers/auth.json', path: (d) => join(d.runtime, 'containers', 'auth.json') },
  { name: '$XDG_CONFIG_HOME/containers/auth.json', path: (d) => join(d.configHome, 'containers', 'auth.json') },
  { name: '$DOCKER_CONFIG/config.json', path: (d) => join(d.dockerConfig, 'config.json') },
  { name: '~/.dockercfg', path: (d) => join(d.home, '.dockercfg'), legacy: true },
];

// /run/containers/0/auth.json is a real system path: written only when absent (a real one is
// never touched; the place is then left out), removed after.
const RUN_CONTAINERS = '/run/containers';
const runContainersExisted = existsSync(RUN_CONTAINERS);
const runAuthExisted = existsSync('/run/containers/0/auth.json');

/** The lookup order with no variable set: where podman, skopeo and docker write by default. */
const DEFAULTS: Place[] = [
  ...(IS_ROOT && !runAuthExisted ? [{ name: '/run/containers/0/auth.json', path: () => '/run/containers/0/auth.json' }] : []),
  { name: '~/.config/containers/auth.json', path: (d) => join(d.home, '.config', 'containers', 'auth.json') },
  { name: '~/.docker/config.json', path: (d) => join(d.home, '.docker', 'config.json') },
  { name: '~/.dockercfg', path: (d) => join(d.home, '.dockercfg'), legacy: true },
];

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(value, null, 2));
}

describe.each(['basic', 'token'] as const)('credentials found in each place of the lookup order (%s auth)', (auth) => {
  let registry: TestRegistry;
  let n = 0;

  beforeAll(async () => {
    registry = await startRegistry({ auth });
    await seedImages(registry.client, [
      { repo: 'stx/app', tag: SRC, kind: 'docker-v2' },
      { repo: 'other/app', tag: SRC, kind: 'docker-v2' },
    ]);
  });

  afterAll(async () => {
    await registry?.stop();
    if (!runAuthExisted) await rm('/run/containers/0/auth.json', { force: true });
    if (!runContainersExisted) await rm(RUN_CONTAINERS, { recursive: true, force: true });
  });

  const secrets = () => [registry.users.admin!, basicAuth('admin', registry.users.admin!), WRONG, basicAuth('admin', WRONG)];

  function authsFor(password: string, legacy = false): unknown {
    const entry = { auth: basicAuth('admin', password) };
    return legacy ? { [`http://${registry.host}`]: entry } : { auths: { [registry.host]: entry } };
  }

  async function folders(): Promise<Dirs> {
    const cwd = await tempFiles({});
    return {
      cwd,
      home: await tempFiles({}),
      runtime: await tempFiles({}),
      configHome: await tempFiles({}),
      dockerConfig: await tempFiles({}),
      registryAuthFile: join(await tempFiles({}), 'auth.json'),
    };
  }

  async function apply(dirs: Dirs, env: NodeJS.ProcessEnv, images: string[] = ['stx/app'], args: string[] = []) {
    n += 1;
    await writeFile(join(dirs.cwd, 'tags.yaml'), tagFile(images.map((repo) => ({ name: `${registry.host}/${repo}`, src_build_tag: SRC, tag: `loc-${n}` }))));
    const result = await runBinary(['apply', '--output', 'json', ...args, 'tags.yaml'], { cwd: dirs.cwd, env: { HOME: dirs.home, ...env } });
    for (const secret of secrets()) expect(result.stdout + result.stderr, 'a secret in the output').not.toContain(secret);
    return { ...result, run: result.stdout ? (JSON.parse(result.stdout) as JsonRun) : undefined };
  }

  for (const [variant, places] of [
    ['variables set', WITH_VARIABLES],
    ['variables unset', DEFAULTS],
  ] as const) {
    it.each(places.map((place, index) => ({ place, later: places.slice(index + 1) })))(
      `${variant}: found in $place.name, before every later place`,
      async ({ place, later }) => {
        const dirs = await folders();
        await writeJson(place.path(dirs), authsFor(registry.users.admin!, place.legacy));
        for (const each of later) await writeJson(each.path(dirs), authsFor(WRONG, each.legacy));
        const env: NodeJS.ProcessEnv =
          variant === 'variables set'
            ? { REGISTRY_AUTH_FILE: dirs.registryAuthFile, XDG_RUNTIME_DIR: dirs.runtime, XDG_CONFIG_HOME: dirs.configHome, DOCKER_CONFIG: dirs.dockerConfig }
            : {};
        const args = variant === 'variables set' && existsSync(join(dirs.cwd, 'ci-auth.json')) ? ['--authfile', 'ci-auth.json'] : [];
        try {
          const result = await apply(dirs, env, ['stx/app'], args);
          expect(result.run?.images.map((image) => image.error ?? image.status)).toEqual(['created']);
          expect(result.code).toBe(0);
        } finally {
          if (place.path(dirs).startsWith(RUN_CONTAINERS) && !runAuthExisted) await rm(place.path(dirs), { force: true });
        }
      },
    );
  }

  it('host/namespace keys: the most specific wins, per repository; a refused one leaves the others alone', async () => {
    const dirs = await folders();
    await writeJson(join(dirs.home, '.docker', 'config.json'), {
      auths: {
        [`http://${registry.host}`]: { auth: basicAuth('admin', WRONG) },
        [registry.host]: { auth: basicAuth('admin', WRONG) },
        [`${registry.host}/stx`]: { auth: basicAuth('admin', registry.users.admin!) },
        [`${registry.host}/stx/app-none`]: { auth: basicAuth('admin', WRONG) },
      },
    });
    const tokensBefore = registry.tokenServer?.requests.length ?? 0;
    const result = await apply(dirs, {}, ['other/app', 'stx/app']);
    expect(result.run?.images.map((image) => image.status)).toEqual(['failed', 'created']);
    expect(result.run?.images[0]!.error).toContain(`refused the credentials from ~/.docker/config.json (auths "${registry.host}")`);
    if (auth === 'token') {
      // one token request per repository, each with its own credential: never one for both
      const asked = registry.tokenServer!.requests.slice(tokensBefore).map((r) => `${r.scopes.join(' ')} ${r.status}`);
      expect(asked.sort()).toEqual(['repository:other/app:pull,push 401', 'repository:stx/app:pull,push 200']);
    }
  });

  it('`skopeo login --authfile F`, then `retag apply --authfile F`', async () => {
    const dirs = await folders();
    const file = join(dirs.cwd, 'skopeo-auth.json');
    await execFileAsync('sh', ['-c', `printf '%s' "$PW" | skopeo login --tls-verify=false --authfile "$F" --username admin --password-stdin "$HOST"`], {
      env: { PATH: process.env.PATH, HOME: dirs.home, PW: registry.users.admin!, F: file, HOST: registry.host },
    });
    expect(existsSync(file)).toBe(true);
    const result = await apply(dirs, {}, ['stx/app'], ['--authfile', 'skopeo-auth.json']);
    expect(result.run?.images.map((image) => image.error ?? image.status)).toEqual(['created']);
    expect(result.code).toBe(0);
  });

  it('--authfile that does not exist, or is not JSON: exit 2 naming it, nothing contacted', async () => {
    const dirs = await folders();
    const missing = await apply(dirs, {}, ['stx/app'], ['--authfile', 'no-such-auth.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--authfile no-such-auth.json does not exist');
    await writeFile(join(dirs.cwd, 'broken.json'), `{"auths": {"${registry.host}": {"auth": "${basicAuth('admin', WRONG)}"`);
    const broken = await apply(dirs, {}, ['stx/app'], ['--authfile', 'broken.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('--authfile broken.json is not valid JSON');
  });

  it('a default file that is not JSON: the image fails naming the file; a missing default file is fine', async () => {
    const dirs = await folders();
    await mkdir(join(dirs.home, '.docker'));
    await writeFile(join(dirs.home, '.docker', 'config.json'), `{"auths": {"${registry.host}": {"auth": "${basicAuth('admin', WRONG)}"`);
    const result = await apply(dirs, {});
    expect(result.code).toBe(1);
    expect(result.run?.images[0]!.error).toMatch(new RegExp(`credentials file ~/\\.docker/config\\.json \\(${dirs.home}/\\.docker/config\\.json\\) is not valid JSON`));
  });
});
