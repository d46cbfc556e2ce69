// Where build engineers already keep registry credentials: Docker's config.json `auths`
// (https://docs.docker.com/reference/cli/docker/login/#credential-stores) and explicit
// --username/--password-stdin. Every value that is a secret is wrapped in Secret at once.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
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
const DockerConfigSchema = z.object({ auths: z.record(z.string(), AuthEntrySchema).optional() });
type AuthEntry = z.infer<typeof AuthEntrySchema>;

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

/** An `auths` file (Docker's config.json, containers' auth.json). */
export function authsFileStore(path: string, label: string): CredentialStore {
  let loaded: Promise<Record<string, AuthEntry> | undefined> | undefined;
  const load = async (): Promise<Record<string, AuthEntry> | undefined> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return undefined; // no file: nothing configured here
    }
    try {
      const parsed = DockerConfigSchema.safeParse(JSON.parse(text));
      return parsed.success ? (parsed.data.auths ?? {}) : undefined;
    } catch {
      return undefined; // unreadable JSON: treat as no credentials rather than fail every image
    }
  };
  return {
    async lookup(registry) {
      loaded ??= load();
      const auths = await loaded;
      if (!auths) return { searched: [label] };
      const wanted = new Set(keysFor(registry));
      for (const [key, entry] of Object.entries(auths)) {
        if (!wanted.has(normaliseConfigKey(key))) continue;
        const credential = credentialFromEntry(entry);
        if (credential) return { credential, source: `${label} (auths)`, searched: [label] };
      }
      return { searched: [label] };
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

export function defaultCredentialStore(env: NodeJS.ProcessEnv = process.env): CredentialStore {
  const { path, label } = dockerConfigPath(env);
  return authsFileStore(path, label);
}
