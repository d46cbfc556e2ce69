// The manifest operations retag needs, over the Registry HTTP API v2
// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests).
// Knows nothing of tag files: it is given a registry, a repository and a reference.

import { createHash } from 'node:crypto';
import type { Access, Authenticator } from './auth/index.js';
import { RegistryError, redactUrl, schema1Refusal } from './errors.js';
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, SUPPORTED_MANIFEST_TYPES, bareMediaType, isSchema1 } from './media-types.js';
import { apiHost, type ImageReference } from '../image-name/index.js';
import { allowsPlainHttp } from './tls-policy.js';
import { RETRY_POLICY, type RetryPolicy } from './retry.js';
import { retrySuffix, type HttpMethod, type HttpResponse, type Transport } from './transport.js';
import { ErrorBodySchema, ManifestProbeSchema } from './wire-schemas.js';

/** mediaType: the bare Content-Type of the HEAD answer when the registry sent one, or the GET's type where a GET stood in for the HEAD */
export type ManifestHead = { found: true; digest: string; mediaType?: string } | { found: false };

export interface Manifest {
  digest: string;
  mediaType: string;
  /** the exact bytes the registry sent: the digest is over these, so they are never re-serialised */
  bytes: Buffer;
}

export interface RegistryClientOptions {
  transport: Transport;
  authenticator: Authenticator;
  /** `host` or `host:port` entries that may be reached over plain HTTP */
  insecureRegistries?: string[];
  /** the API's base URL as the TLS policy decided it (tls-policy.ts); registryBaseUrl when not given */
  baseUrl?: (registry: string) => string;
  /** the transport's retry policy, for the writes the plan may send again (RETRY_POLICY when not given) */
  retryPolicy?: RetryPolicy;
}

/** `sha256:<hex>` of the bytes, or of the algorithm a registry's digest names. */
export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

const SUPPORTED = new Set<string>(SUPPORTED_MANIFEST_TYPES);
const DIGEST_ALGORITHMS = new Set(['sha256', 'sha512']);

export { isInsecureHost } from './tls-policy.js';

export function registryBaseUrl(registry: string, insecure: string[]): string {
  const plain = allowsPlainHttp(registry, { insecureRegistries: insecure, tlsVerify: true });
  return `${plain ? 'http' : 'https'}://${apiHost(registry)}`;
}

export class RegistryClient {
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private readonly insecure: string[];
  private readonly base?: (registry: string) => string;
  readonly retryPolicy: Readonly<RetryPolicy>;

  constructor(options: RegistryClientOptions) {
    this.transport = options.transport;
    this.auth = options.authenticator;
    this.insecure = options.insecureRegistries ?? [];
    this.base = options.baseUrl;
    this.retryPolicy = options.retryPolicy ?? RETRY_POLICY;
  }

  baseUrl(registry: string): string {
    return this.base?.(registry) ?? registryBaseUrl(registry, this.insecure);
  }

  /**
   * The repositories a run will visit, in order: lets the authenticator ask for several
   * repositories' tokens in one request. A hint only; nothing is sent here.
   */
  plan(refs: Iterable<ImageReference>, access: Access): void {
    const byRegistry = new Map<string, string[]>();
    for (const ref of refs) {
      const repositories = byRegistry.get(ref.registry) ?? [];
      repositories.push(ref.repository);
      byRegistry.set(ref.registry, repositories);
    }
    for (const [registry, repositories] of byRegistry) this.auth.plan(registry, repositories, access);
  }

  /** What the token for a repository grants (its JWT `access` claim); undefined when that cannot be known. */
  grantedActions(ref: ImageReference, access: Access, signal?: AbortSignal): Promise<string[] | undefined> {
    return this.auth.grantedActions(ref.registry, ref.repository, access, signal);
  }

  /** Why push could not be checked on a registry (its token service refused a token with push in a read-only run), if so. */
  pushUnchecked(registry: string): RegistryError | undefined {
    return this.auth.pushUnchecked(registry);
  }

  /** Who requests to a repository go as, for messages: the account and where it was found, or where none was. */
  async speaksAs(ref: ImageReference): Promise<string> {
    const lookup = await this.auth.credentialsFor(ref.registry, ref.repository);
    const credential = lookup.credential;
    if (credential === undefined) return `anonymous access (${this.auth.missingCredentials(ref.registry, lookup).message})`;
    const user = credential.username;
    return `${user === undefined ? 'the credentials' : `account ${user}`} from ${lookup.source ?? 'the configured store'}`;
  }

  /** The digest a tag points at, or not found. Only a 404 means "not found"; everything else throws. */
  async headManifest(ref: ImageReference, reference: string, access: Access, signal?: AbortSignal): Promise<ManifestHead> {
    const response = await this.manifestRequest('HEAD', ref, reference, access, signal);
    if (response.status === 404) return { found: false };
    if (response.status === 405) {
      // some registries do not implement HEAD on manifests; containerd falls back to GET too
      const manifest = await this.getManifest(ref, reference, access, signal);
      return manifest ? { found: true, digest: manifest.digest, mediaType: manifest.mediaType } : { found: false };
    }
    if (response.status !== 200) throw await this.errorFrom(response, 'HEAD', ref, reference);
    const digest = response.headers['docker-content-digest'];
    const mediaType = bareMediaType(response.headers['content-type']);
    if (digest && /^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) return { found: true, digest, ...(mediaType ? { mediaType } : {}) };
    // No digest on HEAD (allowed by the spec): the GET's bytes tell it.
    const manifest = await this.getManifest(ref, reference, access, signal);
    return manifest ? { found: true, digest: manifest.digest, mediaType: manifest.mediaType } : { found: false };
  }

  /** The manifest bytes with their verified digest, or undefined on 404. */
  async getManifest(ref: ImageReference, reference: string, access: Access, signal?: AbortSignal): Promise<Manifest | undefined> {
    const response = await this.manifestRequest('GET', ref, reference, access, signal);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await this.errorFrom(response, 'GET', ref, reference);
    const mediaType = this.mediaTypeOf(response, ref, reference);
    const announced = response.headers['docker-content-digest'];
    let digest = digestOf(response.body);
    if (announced) {
      const algorithm = announced.split(':')[0] ?? '';
      if (DIGEST_ALGORITHMS.has(algorithm) && algorithm !== 'sha256') digest = digestOf(response.body, algorithm);
      if (announced !== digest) {
        throw new RegistryError(
          `${ref.registry}/${ref.repository}:${reference}: the manifest bytes hash to ${digest} but the registry announced ${announced}; ` +
            'the answer was altered on the way (a proxy?) or truncated, so nothing was written',
          { code: 'DIGEST_MISMATCH', status: response.status, registry: ref.registry },
        );
      }
    }
    return { digest, mediaType, bytes: response.body };
  }

  /**
   * Writes the exact bytes under a tag and checks the registry stored what was sent. A failure is
   * thrown as it is, also one whose outcome is unknown (a lost answer): whether the write landed
   * is the plan's question (src/retag/plan.ts reads the tag back), never answered here.
   */
  async putManifest(ref: ImageReference, tag: string, manifest: Manifest, signal?: AbortSignal): Promise<string> {
    const response = await this.manifestRequest('PUT', ref, tag, 'pull,push', signal, manifest);
    if (response.status !== 201 && response.status !== 200 && response.status !== 202) {
      throw await this.errorFrom(response, 'PUT', ref, tag);
    }
    const stored = response.headers['docker-content-digest'];
    if (stored && stored !== manifest.digest) {
      throw new RegistryError(
        `${ref.registry}/${ref.repository}:${tag}: the registry stored digest ${stored} but the source is ${manifest.digest}; ` +
          'check the tag by hand before relying on it',
        { code: 'DIGEST_MISMATCH', status: response.status, registry: ref.registry },
      );
    }
    return manifest.digest;
  }

  private mediaTypeOf(response: HttpResponse, ref: ImageReference, reference: string): string {
    const header = bareMediaType(response.headers['content-type']);
    let probe: { schemaVersion?: number; mediaType?: string } = {};
    try {
      const parsed = ManifestProbeSchema.safeParse(JSON.parse(response.body.toString('utf8')));
      if (parsed.success) probe = parsed.data;
      else throw new Error('not a manifest object');
    } catch {
      throw new RegistryError(
        `${ref.registry}/${ref.repository}:${reference}: the registry answered a body that is not a JSON manifest ` +
          `(Content-Type ${header || 'missing'}); is a proxy or login page in the way?`,
        { code: 'BAD_RESPONSE', status: response.status, registry: ref.registry },
      );
    }
    if (isSchema1(header) || probe.schemaVersion === 1) throw schema1Refusal(ref, reference, response.status);
    if (SUPPORTED.has(header)) return header;
    // A generic or missing Content-Type: the manifest's own mediaType field says what it is.
    if (probe.mediaType && SUPPORTED.has(probe.mediaType)) return probe.mediaType;
    throw new RegistryError(
      `${ref.registry}/${ref.repository}:${reference} has media type "${header || probe.mediaType || 'unknown'}", which retag does not copy ` +
        `(supported: ${SUPPORTED_MANIFEST_TYPES.join(', ')})`,
      { code: 'UNSUPPORTED_MANIFEST', status: response.status, registry: ref.registry },
    );
  }

  /** One manifest request; the authenticator's send() picks its Authorization and owns the 401 exchange. */
  private manifestRequest(
    method: HttpMethod,
    ref: ImageReference,
    reference: string,
    access: Access,
    signal?: AbortSignal,
    manifest?: Manifest,
  ): Promise<HttpResponse> {
    const sendWith = (authorization: string | undefined): Promise<HttpResponse> => {
      // here, after the authorizer's /v2/ ping: that is where the TLS policy decides http or https
      const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/manifests/${reference}`;
      const headers: Record<string, string> = {};
      if (authorization) headers.authorization = authorization;
      if (manifest) headers['content-type'] = manifest.mediaType;
      else headers.accept = MANIFEST_ACCEPT;
      return this.transport.send({ method, url, headers, body: manifest?.bytes, registry: ref.registry, signal, maxBodyBytes: MAX_MANIFEST_BYTES });
    };
    return this.auth.send({ registry: ref.registry, repository: ref.repository, access }, sendWith, signal);
  }

  private async errorFrom(response: HttpResponse, method: HttpMethod, ref: ImageReference, reference: string): Promise<RegistryError> {
    const where = `${ref.registry}/${ref.repository}:${reference}`;
    const url = redactUrl(`${this.baseUrl(ref.registry)}/v2/${ref.repository}/manifests/${reference}`);
    const details = parseErrorBody(response);
    const said = details.length > 0 ? `: ${details.map((d) => [d.code, d.message].filter(Boolean).join(' ')).join('; ')}` : '';
    const base = { status: response.status, registry: ref.registry, request: { method, url }, details };
    const status = response.status;
    // Registries word "this tag may not be written" differently: ECR 400 TAG_INVALID "... cannot be
    // overwritten because the repository is immutable", Harbor 412, Quay/Artifactory 409 or a 403
    // "tag ... already exists". The run then looks at the tag once (a race with another writer).
    const immutable =
      method === 'PUT' &&
      (status === 409 ||
        status === 412 ||
        details.some((d) => d.code === 'TAG_INVALID' || /cannot be overwritten|immutable|already exists/i.test(d.message ?? '')));
    if ((status === 401 || status === 403) && !immutable) {
      // Anonymous access refused: say where credentials were looked for, not "refused".
      const lookup = await this.auth.credentialsFor(ref.registry, ref.repository);
      if (!lookup.credential) return this.auth.missingCredentials(ref.registry, lookup);
      const verb = method === 'PUT' ? 'push to' : 'read';
      return new RegistryError(
        `${ref.registry} refused to let the credentials from ${lookup.source ?? 'the configured store'} ${verb} ${ref.repository} (${status}${said}); ` +
          `check the account's permissions on the repository or log in again with \`docker login ${ref.registry}\``,
        { ...base, code: 'UNAUTHORIZED' },
      );
    }
    if (immutable) {
      return new RegistryError(
        `${ref.registry} refuses to create or move the tag ${where} (${status}${said}); the repository has immutable tags ` +
          'or the tag is protected: choose a new tag or ask the registry admin',
        { ...base, code: 'IMMUTABLE_TAG' },
      );
    }
    const contentType = bareMediaType(response.headers['content-type']);
    const html = contentType === 'text/html' || response.body.subarray(0, 64).toString('utf8').trimStart().startsWith('<');
    const redirect = status >= 300 && status < 400 ? ' (a redirect not followed: retag follows at most 3 in a row)' : '';
    const what = html ? ' with an HTML page (a proxy or login page in the way?)' : `${redirect}${said}`;
    return new RegistryError(`${method} ${where} answered ${status}${retrySuffix(response)}${what}`, {
      ...base,
      code: status === 404 ? 'NOT_FOUND' : 'HTTP',
    });
  }
}

function parseErrorBody(response: HttpResponse): { code?: string; message?: string }[] {
  if (response.body.length === 0) return [];
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(response.body.toString('utf8')));
    if (!parsed.success) return [];
    return parsed.data.errors.map((e) => ({ code: e.code?.slice(0, 80), message: e.message?.slice(0, 300) }));
  } catch {
    return [];
  }
}
