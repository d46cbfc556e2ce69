// A real registry for integration tests: Debian's docker-registry (distribution 2.8) on a free
// loopback port, in a fresh temp dir, with no auth, htpasswd (Basic) or token (Bearer) auth.
// See /work/shared/REGISTRY.md "A real registry for tests".
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { dump } from 'js-yaml';
import { AdminClient } from './admin-client.js';
import { startTokenServer, type GrantPolicy, type TestTokenServer } from './token-server.js';

export const REGISTRY_BIN = process.env.RETAG_TEST_REGISTRY_BIN ?? '/usr/bin/docker-registry';

export type RegistryAuth = 'none' | 'basic' | 'token';

export const DEFAULT_USERS: Readonly<Record<string, string>> = {
  admin: 'admin-secret-pw',
  reader: 'reader-secret-pw',
};

export interface StartRegistryOptions {
  auth: RegistryAuth;
  /** user -> password; defaults to DEFAULT_USERS. */
  users?: Record<string, string>;
  /** Whose credentials `client` carries; defaults to `admin`. */
  adminUser?: string;
  /** Token mode: who may do what; defaults to reader=pull, everyone else=pull,push. */
  grants?: GrantPolicy;
  /** Token mode: the realm's `expires_in`. */
  tokenExpiresInSeconds?: number;
  /** Token mode: identity tokens (OAuth2 refresh tokens) the realm accepts, token -> user. */
  refreshTokens?: Record<string, string>;
  /** Accept signed schema 1 PUTs (`compatibility.schema1.enabled`); 2.8 refuses them otherwise. */
  schema1?: boolean;
  /**
   * Serve HTTPS (`http.tls`), and with `clientCas` ask for a client certificate signed by one of
   * them (mTLS). `client` then cannot reach it: serve the storage of a plain registry
   * (`storageOf`) and read and seed through that one.
   */
  tls?: { certFile: string; keyFile: string; clientCas?: string[] };
  /** Another test registry's storage folder, shared (docker-registry's filesystem driver allows it). */
  storageOf?: TestRegistry;
  /** Listen here instead of 127.0.0.1 (127.0.0.2: a second loopback address). */
  listenHost?: string;
  /** Token mode: the realm the registry announces instead of the token server's own URL (a TLS front for it). */
  realmVia?: (tokenServer: TestTokenServer) => Promise<string>;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, as an image reference names it. */
  host: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  auth: RegistryAuth;
  users: Record<string, string>;
  tokenServer?: TestTokenServer;
  /** Carries the admin user's credentials. */
  client: AdminClient;
  /** A client with another user's credentials (or anonymous when `user` is undefined). */
  clientAs(user: string | undefined): AdminClient;
  /** The registry's own output so far, for failure messages. */
  logs(): string;
  /** The temp dir holding config, storage and auth material. */
  dir: string;
  stop(): Promise<void>;
}

const MAX_LOG = 64 * 1024;
const START_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 15_000;

// Belt and braces: if a test file dies without its afterAll, don't leave registries running.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Bind port 0, read the port, close. Racy by nature; startRegistry retries when it loses. */
async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** distribution's htpasswd reader accepts only bcrypt; bcryptjs writes `$2b$`, which Go's bcrypt also reads. */
function htpasswd(users: Record<string, string>): string {
  // Cost 4 (the minimum) because every request re-checks the hash.
  return Object.entries(users)
    .map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}\n`)
    .join('');
}

function registryConfig(dir: string, port: number, auth: Record<string, unknown> | undefined, opts: StartRegistryOptions): string {
  const tls = opts.tls && {
    certificate: opts.tls.certFile,
    key: opts.tls.keyFile,
    ...(opts.tls.clientCas ? { clientcas: opts.tls.clientCas } : {}),
  };
  const config: Record<string, unknown> = {
    version: '0.1',
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(opts.storageOf?.dir ?? dir, 'storage') },
      delete: { enabled: true },
    },
    // A fixed secret silences the "No HTTP secret provided" warning.
    http: { addr: `${opts.listenHost ?? '127.0.0.1'}:${port}`, secret: randomBytes(16).toString('hex'), ...(tls ? { tls } : {}) },
  };
  const schema1 = opts.schema1 ?? false;
  if (auth) config.auth = auth;
  if (schema1) config.compatibility = { schema1: { enabled: true } };
  return dump(config);
}

/** The child env without REGISTRY_* variables, which would override the config file. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
}

class PortTaken extends Error {}

interface Running {
  child: ChildProcess;
  logs: () => string;
}

/** Whether something accepts TCP connections at the URL's host and port (a TLS registry's readiness). */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = netConnect(Number(port), hostname, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Spawn and wait until `GET /v2/` answers 200 or 401 (a TLS one: accepts connections); PortTaken if the bind lost a race. */
async function launch(configPath: string, url: string): Promise<Running> {
  const child = spawn(REGISTRY_BIN, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
  live.add(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-MAX_LOG);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    live.delete(child);
    exited = `exited with ${signal ?? code}`;
  });
  child.once('error', (err) => {
    exited = `could not start ${REGISTRY_BIN}: ${err.message}`;
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      if (/address already in use/i.test(output)) throw new PortTaken();
      throw new Error(`docker-registry ${exited}:\n${output}`);
    }
    try {
      if (url.startsWith('https:')) {
        if (await listening(url)) return { child, logs: () => output };
        throw new Error('not listening yet');
      }
      const res = await fetch(`${url}/v2/`);
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return { child, logs: () => output };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await kill(child);
  throw new Error(`docker-registry not ready after ${READY_TIMEOUT_MS} ms:\n${output}`);
}

/** SIGTERM, then SIGKILL if it lingers; resolves once the process is gone. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await gone;
  clearTimeout(timer);
}

export async function startRegistry(opts: StartRegistryOptions): Promise<TestRegistry> {
  const users = { ...(opts.users ?? DEFAULT_USERS) };
  const dir = await mkdtemp(join(tmpdir(), 'retag-registry-'));
  let tokenServer: TestTokenServer | undefined;
  try {
    let auth: Record<string, unknown> | undefined;
    if (opts.auth === 'basic') {
      const path = join(dir, 'htpasswd');
      await writeFile(path, htpasswd(users));
      auth = { htpasswd: { realm: 'retag-test-basic', path } };
    } else if (opts.auth === 'token') {
      tokenServer = await startTokenServer({
        dir,
        users,
        grants: opts.grants,
        refreshTokens: opts.refreshTokens,
        expiresInSeconds: opts.tokenExpiresInSeconds,
      });
      auth = {
        token: {
          realm: opts.realmVia ? await opts.realmVia(tokenServer) : tokenServer.realm,
          service: tokenServer.service,
          issuer: tokenServer.issuer,
          rootcertbundle: tokenServer.rootCertPath,
        },
      };
    }

    const configPath = join(dir, 'config.yml');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort(opts.listenHost);
      const url = `${opts.tls ? 'https' : 'http'}://${opts.listenHost ?? '127.0.0.1'}:${port}`;
      await writeFile(configPath, registryConfig(dir, port, auth, opts));
      let running: Running;
      try {
        running = await launch(configPath, url);
      } catch (err) {
        if (err instanceof PortTaken && attempt < START_ATTEMPTS) continue;
        throw err;
      }
      return assemble(opts, users, dir, url, running, tokenServer);
    }
  } catch (err) {
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function assemble(
  opts: StartRegistryOptions,
  users: Record<string, string>,
  dir: string,
  url: string,
  running: Running,
  tokenServer: TestTokenServer | undefined,
): TestRegistry {
  const clientAs = (user: string | undefined): AdminClient => {
    if (user === undefined) return new AdminClient({ url });
    const password = users[user];
    if (password === undefined) throw new Error(`no test user ${user}`);
    return new AdminClient({ url, credentials: { username: user, password } });
  };
  const adminUser = opts.adminUser ?? 'admin';
  let stopped: Promise<void> | undefined;
  const registry: TestRegistry = {
    host: new URL(url).host,
    url,
    auth: opts.auth,
    users,
    client: opts.auth === 'none' && users[adminUser] === undefined ? clientAs(undefined) : clientAs(adminUser),
    clientAs,
    logs: running.logs,
    dir,
    // Idempotent, so an afterAll can call it even when a test already did.
    stop: () => {
      stopped ??= (async () => {
        await kill(running.child);
        await tokenServer?.stop();
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  if (tokenServer) registry.tokenServer = tokenServer;
  return registry;
}
