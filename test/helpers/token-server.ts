// A Docker token server of the tests' own, on loopback, for docker-registry's `auth.token` mode:
// https://distribution.github.io/distribution/spec/auth/token/ (the flow Docker Hub uses).
// The registry trusts a token when its header's `x5c` certificate is in `rootcertbundle`, its
// `iss` equals the configured issuer and its `aud` equals the service (distribution 2.8,
// registry/auth/token/token.go). Every request is recorded so tests can count token fetches.
import { execFile } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** One `scope` the client asked for, as `repository:NAME:pull,push`. */
export interface TokenRequest {
  /** GET: the Basic or anonymous flow; POST: the OAuth2 refresh-token grant (identity tokens) */
  method: 'GET' | 'POST';
  url: string;
  scopes: string[];
  /** The Basic user name, when the client sent one (anonymous otherwise). */
  user?: string;
  /** What the server answered: 200, or 401 for a refused password. */
  status: number;
}

export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

/** Which actions a user may have on a repository; `undefined` is the anonymous user. */
export type GrantPolicy = (user: string | undefined, repository: string) => readonly string[];

/** `reader` may pull, every other known user may pull and push, anonymous gets nothing. */
export const defaultGrants: GrantPolicy = (user) => {
  if (user === undefined) return [];
  return user === 'reader' ? ['pull'] : ['pull', 'push'];
};

export interface TokenServerOptions {
  /** A directory of the caller's, where the key and certificate are written. */
  dir: string;
  users: Record<string, string>;
  grants?: GrantPolicy;
  service?: string;
  issuer?: string;
  expiresInSeconds?: number;
  /** Added before every answer, to make slow token realms (and races on them) reproducible. */
  delayMs?: number;
  /** Docker identity tokens (OAuth2 refresh tokens) the realm accepts by POST, token -> user. */
  refreshTokens?: Record<string, string>;
}

export interface TestTokenServer {
  url: string;
  /** `url` + `/token`: the `auth.token.realm` of the registry config. */
  realm: string;
  service: string;
  issuer: string;
  /** The PEM certificate: the registry's `auth.token.rootcertbundle`. */
  rootCertPath: string;
  requests: TokenRequest[];
  /** Every bearer token handed out, so tests can check none leaks into retag's output. */
  issued: string[];
  /** Mutable, so one test can slow the realm down without restarting it. */
  delayMs: number;
  /**
   * Mutable. true: a request asking for an action the user does not hold is refused (401), as some
   * realms do, instead of granted the subset the user holds (the spec's way, and the default).
   */
  refuseUngranted: boolean;
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** RSA key and self-signed certificate from the openssl CLI: node:crypto cannot make certificates. */
async function makeSigningMaterial(dir: string): Promise<{ key: KeyObject; certPath: string; x5c: string }> {
  const keyPath = join(dir, 'token-key.pem');
  const certPath = join(dir, 'token-cert.pem');
  // Go's x509 verifier (which the registry calls with ExtKeyUsageAny) accepts a self-signed
  // CA certificate as its own chain when it is in the root pool; openssl's default v3_ca
  // extensions (CA:TRUE, no keyUsage restriction) are enough. SHA-256 because Go refuses SHA-1.
  await execFileAsync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256',
    '-subj', '/CN=retag-test-token', '-days', '2',
    '-keyout', keyPath, '-out', certPath,
  ]);
  const [keyPem, certPem] = await Promise.all([readFile(keyPath), readFile(certPath)]);
  const x5c = new X509Certificate(certPem).raw.toString('base64');
  return { key: createPrivateKey(keyPem), certPath, x5c };
}

/** `repository:NAME:pull,push` -> parts; NAME may not hold ':' but a registry-style scope type may. */
function parseScope(scope: string): TokenAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  const actions = scope.slice(last + 1).split(',').filter((a) => a !== '');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

/** The `access` claim: per requested repository scope, the requested actions the user holds. */
function grantAccess(scopes: string[], user: string | undefined, grants: GrantPolicy): TokenAccess[] {
  const access: TokenAccess[] = [];
  for (const scope of scopes) {
    const asked = parseScope(scope);
    if (asked?.type !== 'repository') continue;
    const held = new Set(grants(user, asked.name));
    const actions = asked.actions.filter((a) => held.has(a));
    if (actions.length > 0) access.push({ ...asked, actions });
  }
  return access;
}

/** `Authorization: Basic ...` -> user and password, undefined when absent or malformed. */
function basicCredentials(req: IncomingMessage): { user: string; password: string } | undefined {
  const header = req.headers.authorization;
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startTokenServer(opts: TokenServerOptions): Promise<TestTokenServer> {
  const { key, certPath, x5c } = await makeSigningMaterial(opts.dir);
  const grants = opts.grants ?? defaultGrants;
  const service = opts.service ?? 'retag-test-registry';
  const issuer = opts.issuer ?? 'retag-test-token-issuer';
  const expiresIn = opts.expiresInSeconds ?? 300;

  const mint = (user: string | undefined, access: TokenAccess[]): { token: string; issuedAt: Date } => {
    const issuedAt = new Date();
    const now = Math.floor(issuedAt.getTime() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', x5c: [x5c] };
    // `aud` as a plain string: distribution 2.8's ClaimSet types it as a string, not a list.
    const claims = {
      iss: issuer,
      sub: user ?? '',
      aud: service,
      exp: now + expiresIn,
      nbf: now - 1,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), key);
    return { token: `${signingInput}.${base64url(signature)}`, issuedAt };
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      sendJson(res, 500, { details: String(err) });
    });
  });

  const state: TestTokenServer = {
    url: '',
    realm: '',
    service,
    issuer,
    rootCertPath: certPath,
    requests: [],
    issued: [],
    delayMs: opts.delayMs ?? 0,
    refuseUngranted: false,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from fetch would otherwise hold close() open until they time out.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    if (state.delayMs > 0) await delay(state.delayMs);
    if (req.method === 'POST' && url.pathname === '/token') {
      await handleRefresh(req, res);
      return;
    }
    if (req.method !== 'GET' || url.pathname !== '/token') {
      sendJson(res, 404, { details: 'not found' });
      return;
    }
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter((s) => s !== '');
    const creds = basicCredentials(req);
    const record: TokenRequest = { method: 'GET', url: req.url ?? '', scopes, status: 200 };
    if (creds) record.user = creds.user;
    state.requests.push(record);
    if (creds && opts.users[creds.user] !== creds.password) {
      // Docker Hub's auth service answers a wrong password this way.
      record.status = 401;
      sendJson(res, 401, { details: 'incorrect username or password' });
      return;
    }
    const access = grantAccess(scopes, creds?.user, grants);
    const asked = scopes.map(parseScope).filter((a) => a?.type === 'repository');
    if (state.refuseUngranted && asked.some((a) => !access.some((g) => g.name === a!.name && a!.actions.every((x) => g.actions.includes(x))))) {
      record.status = 401;
      sendJson(res, 401, { details: 'requested access to the resource is denied' });
      return;
    }
    const { token, issuedAt } = mint(creds?.user, access);
    state.issued.push(token);
    sendJson(res, 200, { token, access_token: token, expires_in: expiresIn, issued_at: issuedAt.toISOString() });
  }

  /** The OAuth2 refresh-token grant (https://distribution.github.io/distribution/spec/auth/oauth/). */
  async function handleRefresh(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const scopes = form.getAll('scope').flatMap((s) => s.split(' ')).filter((s) => s !== '');
    const user = form.get('grant_type') === 'refresh_token' ? opts.refreshTokens?.[form.get('refresh_token') ?? ''] : undefined;
    const record: TokenRequest = { method: 'POST', url: req.url ?? '', scopes, status: user ? 200 : 401 };
    if (user) record.user = user;
    state.requests.push(record);
    if (!user) {
      sendJson(res, 401, { details: 'invalid refresh token' });
      return;
    }
    const { token } = mint(user, grantAccess(scopes, user, grants));
    state.issued.push(token);
    sendJson(res, 200, { access_token: token, expires_in: expiresIn, scope: scopes.join(' ') });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.realm = `${state.url}/token`;
  return state;
}
