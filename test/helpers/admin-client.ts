// A deliberately tiny Registry API v2 client for the tests' own use: seeding images and
// asserting registry state without going through retag's code (so a retag bug cannot hide
// itself). It answers Basic and Bearer challenges itself, asking the token realm for
// `repository:NAME:pull,push` once per repository.
// API: https://distribution.github.io/distribution/spec/api/
import { createHash } from 'node:crypto';
import { ADMIN_ACCEPT } from './media-types.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface AdminClientOptions {
  /** `http://127.0.0.1:PORT` */
  url: string;
  credentials?: Credentials;
}

export interface FetchedManifest {
  status: number;
  digest?: string;
  mediaType?: string;
  /** The exact bytes the registry served, only on 200. */
  bytes?: Buffer;
}

/** A request the registry (or its token realm) refused; the tests assert on `status`. */
export class AdminClientError extends Error {
  override name = 'AdminClientError';
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${message}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="x",service="y",scope="a:b:c"` -> scheme and params (quoted values only need here). */
export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*(\S+)\s*(.*)$/.exec(header);
  if (!match?.[1]) return undefined;
  const params: Record<string, string> = {};
  for (const m of (match[2] ?? '').matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    const name = m[1];
    if (name) params[name.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: match[1].toLowerCase(), params };
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

interface SendInit {
  method: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export class AdminClient {
  readonly url: string;
  readonly credentials: Credentials | undefined;
  /** Bearer tokens per repository, dropped when their `expires_in` (default 60 s) runs out. */
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  /** Set once the registry asked for Basic, so later requests send it up front. */
  private basic = false;

  constructor(opts: AdminClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.credentials = opts.credentials;
  }

  /** Monolithic upload: POST a session, PUT the bytes to its Location with `digest=`. */
  async pushBlob(repo: string, bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    const head = await this.send(repo, `/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
    if (head.status === 200) return digest;
    const start = await this.send(repo, `/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    await expectStatus(start, 202, `start blob upload to ${repo}`);
    const location = start.headers.get('location');
    if (!location) throw new AdminClientError(`no Location for upload to ${repo}`, start.status, '');
    // Location may be absolute or relative and already carries `_state=`: add, don't replace.
    const put = new URL(location, this.url);
    put.searchParams.set('digest', digest);
    const done = await this.send(repo, put.toString(), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    await expectStatus(done, 201, `finish blob upload ${digest} to ${repo}`);
    return digest;
  }

  /** PUT the exact bytes; returns the registry's `Docker-Content-Digest`. */
  async putManifest(repo: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const res = await this.send(repo, `/v2/${repo}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body: bytes,
    });
    await expectStatus(res, 201, `put manifest ${repo}:${reference}`);
    const digest = res.headers.get('docker-content-digest');
    if (!digest) throw new AdminClientError(`no Docker-Content-Digest for ${repo}:${reference}`, res.status, '');
    return digest;
  }

  async getManifest(repo: string, reference: string): Promise<FetchedManifest> {
    const res = await this.send(repo, `/v2/${repo}/manifests/${reference}`, {
      method: 'GET',
      headers: { accept: ADMIN_ACCEPT },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const result: FetchedManifest = { status: res.status };
    if (res.status !== 200) return result;
    result.bytes = bytes;
    const digest = res.headers.get('docker-content-digest');
    const mediaType = res.headers.get('content-type');
    if (digest) result.digest = digest;
    if (mediaType) result.mediaType = mediaType;
    return result;
  }

  /** The digest a tag points at, by HEAD (no pull counted); undefined when the tag is absent. */
  async tagDigest(repo: string, tag: string): Promise<string | undefined> {
    const res = await this.send(repo, `/v2/${repo}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { accept: ADMIN_ACCEPT },
    });
    if (res.status === 404) return undefined;
    await expectStatus(res, 200, `head manifest ${repo}:${tag}`);
    return res.headers.get('docker-content-digest') ?? undefined;
  }

  /** Sorted; an unknown repository has no tags rather than an error. */
  async listTags(repo: string): Promise<string[]> {
    const res = await this.send(repo, `/v2/${repo}/tags/list`, { method: 'GET' });
    if (res.status === 404) {
      await res.arrayBuffer();
      return [];
    }
    await expectStatus(res, 200, `list tags of ${repo}`);
    const body = (await res.json()) as { tags?: string[] | null };
    return [...(body.tags ?? [])].sort();
  }

  private authorization(repo: string): string | undefined {
    const cached = this.tokens.get(repo);
    if (cached && cached.expiresAt <= Date.now()) this.tokens.delete(repo);
    else if (cached) return `Bearer ${cached.token}`;
    if (this.basic && this.credentials) return basicHeader(this.credentials);
    return undefined;
  }

  /** One request, answering a 401 challenge once. Returns the response for the caller to judge. */
  private async send(repo: string, pathOrUrl: string, init: SendInit): Promise<Response> {
    const target = new URL(pathOrUrl, this.url).toString();
    const attempt = (): Promise<Response> => {
      const headers: Record<string, string> = { ...init.headers };
      const auth = this.authorization(repo);
      if (auth) headers.authorization = auth;
      return fetch(target, { method: init.method, headers, body: init.body, redirect: 'follow' });
    };
    const first = await attempt();
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers.get('www-authenticate') ?? '');
    if (!challenge) return first;
    if (challenge.scheme === 'basic') {
      if (!this.credentials || this.basic) return first;
      this.basic = true;
    } else if (challenge.scheme === 'bearer') {
      if (this.tokens.has(repo)) return first;
      this.tokens.set(repo, await this.fetchToken(repo, challenge.params));
    } else {
      return first;
    }
    await first.arrayBuffer(); // release the connection before retrying
    return attempt();
  }

  private async fetchToken(repo: string, params: Record<string, string>): Promise<{ token: string; expiresAt: number }> {
    if (!params.realm) throw new AdminClientError('Bearer challenge without realm', 401, '');
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.append('scope', `repository:${repo}:pull,push`);
    const headers: Record<string, string> = {};
    if (this.credentials) headers.authorization = basicHeader(this.credentials);
    const res = await fetch(url, { headers });
    await expectStatus(res, 200, `token for ${repo}`);
    const body = (await res.json()) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) throw new AdminClientError(`token realm answered no token for ${repo}`, res.status, '');
    // A second of slack so a token is not sent in the instant it expires.
    return { token, expiresAt: Date.now() + ((body.expires_in ?? 60) - 1) * 1000 };
  }
}

function basicHeader({ username, password }: Credentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Throws with the body (registry error JSON) when the status is not the expected one. */
async function expectStatus(res: Response, status: number, what: string): Promise<void> {
  if (res.status === status) return;
  throw new AdminClientError(`cannot ${what}`, res.status, await res.text());
}
