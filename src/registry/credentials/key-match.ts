// Which key of an auth file's `auths` serves an image, as containers-auth.json(5) and
// containers/image (pkg/docker/config, findCredentialsInFile) decide, with docker's readings:
//  - `host[:port]`: the registry;
//  - `host[:port]/namespace[/repo]`: only the repositories under that path, the longest
//    (most specific) matching key wins;
//  - `http(s)://host[:port][/anything]`: the registry (docker login once wrote URLs; the path
//    is dropped, as docker's ConvertToHostname and containers/image's normalizeAuthFileKey do);
//  - Docker Hub: `https://index.docker.io/v1/` (docker login's key), `docker.io` (podman's),
//    `index.docker.io` and `registry-1.docker.io` all name the same registry.
// Host names compare without case (DNS); repository paths with case (they are lowercase anyway).
// Pure: no I/O, table-tested in test/unit/registry/credentials-key-match.test.ts.

import { DOCKER_HUB } from '../../image-name/index.js';

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** `Docker.IO` -> `docker.io`, `registry-1.docker.io` -> `docker.io`, `Lab:5000` -> `lab:5000`. */
export function normaliseRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_HOSTS.has(lower) ? DOCKER_HUB : lower;
}

/** Whether two registry names (as images or --registry write them) are one registry. */
export function sameRegistry(a: string, b: string): boolean {
  return normaliseRegistry(a) === normaliseRegistry(b);
}

export interface AuthKey {
  /** the normalised registry */
  registry: string;
  /** the repository path the key is limited to; '' for the whole registry */
  path: string;
  /** written as a URL (`https://host/...`): matched after exact keys of the same specificity */
  url: boolean;
}

/**
 * How a key reads. `legacy`: a ~/.dockercfg key, always a registry (docker's old files keyed by
 * URL; a path there was an API path, never a namespace).
 */
export function parseAuthKey(key: string, legacy = false): AuthKey | undefined {
  const scheme = /^https?:\/\//i.exec(key);
  const rest = scheme ? key.slice(scheme[0].length) : key;
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  if (host === '') return undefined;
  const path = scheme || legacy || slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  return { registry: normaliseRegistry(host), path, url: scheme !== null };
}

/** The path segments a key names, for "most specific wins": `ns/repo` > `ns` > `` (registry). */
function specificity(key: AuthKey): number {
  return key.path === '' ? 0 : key.path.split('/').length;
}

function covers(key: AuthKey, registry: string, repository: string | undefined): boolean {
  if (key.registry !== normaliseRegistry(registry)) return false;
  if (key.path === '') return true;
  return repository !== undefined && (repository === key.path || repository.startsWith(`${key.path}/`));
}

/**
 * The keys of `keys` that serve `registry` (and `repository`, when given), best first: the most
 * specific, then a key written as a host before one written as a URL, then file order. The
 * caller takes the first whose entry holds a credential (docker leaves `{}` entries behind when
 * a credential store keeps the secret).
 */
export function matchingAuthKeys(keys: Iterable<string>, registry: string, repository?: string, legacy = false): string[] {
  const matches: { key: string; parsed: AuthKey; order: number }[] = [];
  let order = 0;
  for (const key of keys) {
    const parsed = parseAuthKey(key, legacy);
    if (parsed && covers(parsed, registry, repository)) matches.push({ key, parsed, order });
    order += 1;
  }
  matches.sort(
    (a, b) => specificity(b.parsed) - specificity(a.parsed) || Number(a.parsed.url) - Number(b.parsed.url) || a.order - b.order,
  );
  return matches.map((match) => match.key);
}

/** The `credHelpers` entry for a registry: helpers are per registry, never per repository. */
export function helperFor(credHelpers: Record<string, string>, registry: string): string | undefined {
  const key = matchingAuthKeys(Object.keys(credHelpers), registry)[0]; // no repository: registry keys only
  return key === undefined ? undefined : credHelpers[key];
}
