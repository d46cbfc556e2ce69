// Where build engineers already keep registry credentials, in this order (README "Credentials"):
//  1. --username/--password-stdin (explicitStore),
//  2. Docker's config.json (https://docs.docker.com/reference/cli/docker/login/#credential-stores):
//     `credHelpers.<host>`, else `credsStore`, else `auths.<host>`, as docker itself decides,
//  3. containers' auth file (podman, buildah, skopeo): $REGISTRY_AUTH_FILE, else
//     $XDG_RUNTIME_DIR/containers/auth.json (containers-auth.json(5)), the same `auths` shape.
// Docker first: retag replaces scripts that ran `docker login`/`docker push`, so that is where a
// CI agent's credentials are. Every value that is a secret is wrapped in Secret at once.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { helperCredential } from './credential-helper.js';
import { DOCKER_HUB, DOCKER_HUB_AUTH_KEY } from './reference.js';
import { Secret } from './secret.js';

export type Credential =
  | { kind: 'basic'; username: string; password: Secret }
  /** Docker's `identitytoken`: an OAuth2 refresh token for the token realm. */
  | { kind: 'identity-token'; username?: string; token: Secret };

export interface CredentialLookup {
  credential?: Credential;
  /** where the credential came from, for messages: "~/.docker/config.json (auths)" */
  source?: string;
  /** every place looked at, for the "credentials missing or refused" message */
  searched: string[];
}

export interface CredentialStore {
  lookup(registry: string): Promise<CredentialLookup>;
}

// https://github.com/docker/cli/blob/master/cli/config/types/authconfig.go
const AuthEntrySchema = z.object({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
});
const DockerConfigSchema = z.object({
  auths: z.record(z.string(), AuthEntrySchema).optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
  credsStore: z.string().optional(),
});
type AuthEntry = z.infer<typeof AuthEntrySchema>;
type DockerConfig = z.infer<typeof DockerConfigSchema>;

/** `https://index.docker.io/v1/` -> `index.docker.io`; `http://host:5000/x` -> `host:5000`. */
function normaliseConfigKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

function keysFor(registry: string): string[] {
  if (registry === DOCKER_HUB) return [normaliseConfigKey(DOCKER_HUB_AUTH_KEY), 'docker.io', 'registry-1.docker.io'];
  return [registry.toLowerCase()];
}

function credentialFromEntry(entry: AuthEntry): Credential | undefined {
  if (entry.identitytoken) {
    return { kind: 'identity-token', username: entry.username, token: new Secret(entry.identitytoken) };
  }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return { kind: 'basic', username: decoded.slice(0, colon), password: new Secret(decoded.slice(colon + 1)) };
    }
    return undefined;
  }
  if (entry.username && entry.password !== undefined) {
    return { kind: 'basic', username: entry.username, password: new Secret(entry.password) };
  }
  return undefined;
}

async function readConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined; // no file: nothing configured here
  }
  try {
    const parsed = DockerConfigSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // unreadable JSON: treat as no credentials rather than fail every image
  }
}

function findAuth(auths: Record<string, AuthEntry> | undefined, registry: string): Credential | undefined {
  const wanted = new Set(keysFor(registry));
  for (const [key, entry] of Object.entries(auths ?? {})) {
    if (!wanted.has(normaliseConfigKey(key))) continue;
    const credential = credentialFromEntry(entry);
    if (credential) return credential;
  }
  return undefined;
}

/** What a helper is handed: Docker Hub's legacy URL, or the host as the image names it. */
export function helperServerUrl(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : registry;
}

/** An `auths` file (containers' auth.json; Docker's config.json without helpers). */
export function authsFileStore(path: string, label: string): CredentialStore {
  let loaded: Promise<DockerConfig | undefined> | undefined;
  return {
    async lookup(registry) {
      loaded ??= readConfig(path);
      const credential = findAuth((await loaded)?.auths, registry);
      return credential ? { credential, source: `${label} (auths)`, searched: [label] } : { searched: [label] };
    },
  };
}

/**
 * Docker's config.json as docker reads it: a `credHelpers` entry for the host wins, else the
 * `credsStore` helper, else the `auths` entry. A helper that has no credential for the host
 * ("credentials not found") passes on to the next place, so a half-migrated config still works.
 */
export function dockerConfigStore(path: string, label: string, env: NodeJS.ProcessEnv = process.env): CredentialStore {
  let loaded: Promise<DockerConfig | undefined> | undefined;
  return {
    async lookup(registry) {
      loaded ??= readConfig(path);
      const config = await loaded;
      if (!config) return { searched: [label] };
      const searched: string[] = [];
      const wanted = new Set(keysFor(registry));
      const perHost = Object.entries(config.credHelpers ?? {}).find(([key]) => wanted.has(normaliseConfigKey(key)))?.[1];
      const helpers: [string, string][] = [];
      if (perHost) helpers.push([perHost, 'credHelpers']);
      if (config.credsStore) helpers.push([config.credsStore, 'credsStore']);
      for (const [helper, key] of helpers) {
        const where = `docker-credential-${helper} (${key} in ${label})`;
        searched.push(where);
        const credential = await helperCredential(helper, helperServerUrl(registry), registry, `${label} ${key}`, { env });
        if (credential) return { credential, source: where, searched };
      }
      const where = helpers.length > 0 ? `${label} (auths)` : label;
      searched.push(where);
      const credential = findAuth(config.auths, registry);
      return credential ? { credential, source: `${label} (auths)`, searched } : { searched };
    },
  };
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): { path: string; label: string } {
  if (env.DOCKER_CONFIG) {
    return { path: join(env.DOCKER_CONFIG, 'config.json'), label: '$DOCKER_CONFIG/config.json' };
  }
  return { path: join(homedir(), '.docker', 'config.json'), label: '~/.docker/config.json' };
}

/** Credentials given on the command line apply to every registry of the run. */
export function explicitStore(username: string, password: Secret): CredentialStore {
  return {
    async lookup() {
      return {
        credential: { kind: 'basic', username, password },
        source: '--username/--password-stdin',
        searched: ['--username/--password-stdin'],
      };
    },
  };
}

/** The first store that has a credential wins; `searched` lists every place asked. */
export function chainStores(stores: CredentialStore[]): CredentialStore {
  return {
    async lookup(registry) {
      const searched: string[] = [];
      for (const store of stores) {
        const found = await store.lookup(registry);
        searched.push(...found.searched);
        if (found.credential) return { ...found, searched };
      }
      return { searched };
    },
  };
}

/** containers-auth.json(5): $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json. */
export function containersAuthPath(env: NodeJS.ProcessEnv = process.env): { path: string; label: string } | undefined {
  if (env.REGISTRY_AUTH_FILE) return { path: env.REGISTRY_AUTH_FILE, label: '$REGISTRY_AUTH_FILE' };
  if (env.XDG_RUNTIME_DIR) return { path: join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'), label: '$XDG_RUNTIME_DIR/containers/auth.json' };
  return undefined;
}

/** Docker's config (helpers, then auths), then containers' auth file. */
export function defaultCredentialStore(env: NodeJS.ProcessEnv = process.env): CredentialStore {
  const docker = dockerConfigPath(env);
  const stores = [dockerConfigStore(docker.path, docker.label, env)];
  const containers = containersAuthPath(env);
  if (containers) stores.push(authsFileStore(containers.path, containers.label));
  return chainStores(stores);
}
