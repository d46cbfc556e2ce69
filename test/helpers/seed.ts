// Seeds a registry with small, valid images of every kind retag meets. Content depends only on
// (kind, variant), not on repo or tag: the same spec under two tags gives the same digest (an
// `exists` case), a different variant gives a different one (a `conflict` case). Manifests are
// written with odd-json so that re-serialising them changes their digest.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sha256Digest, type AdminClient } from './admin-client.js';
import { MEDIA_TYPES } from './media-types.js';
import { oddJson, type JsonValue } from './odd-json.js';
import { signedSchema1 } from './schema1.js';

export { MEDIA_TYPES } from './media-types.js';

export type SeedKind = 'docker-v2' | 'docker-list' | 'oci-manifest' | 'oci-index' | 'docker-schema1';

export const SEED_KINDS_V2: readonly SeedKind[] = ['docker-v2', 'docker-list', 'oci-manifest', 'oci-index'];

export interface SeedSpec {
  repo: string;
  tag: string;
  kind: SeedKind;
  /** Makes the content unique, so different tags can get different digests. */
  variant?: string;
}

export interface SeededChild {
  digest: string;
  mediaType: string;
  platform: { architecture: string; os: string; variant?: string };
  bytes: Buffer;
}

export interface SeededImage {
  repo: string;
  tag: string;
  kind: SeedKind;
  /** As the registry answered the PUT. */
  digest: string;
  mediaType: string;
  /**
   * The exact bytes PUT. For docker-schema1 the registry serves re-signed bytes instead and
   * `digest` is the sha256 of `schema1Payload(bytes)`, not of these bytes.
   */
  bytes: Buffer;
  /** The platform manifests of a list or index, pushed by digest before it. */
  children: SeededChild[];
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

const PLATFORMS = [
  { architecture: 'amd64', os: 'linux' },
  { architecture: 'arm64', os: 'linux', variant: 'v8' },
] as const;

type Platform = (typeof PLATFORMS)[number];

function hex(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

/** Keys deliberately out of the usual order (digest before mediaType). */
function descriptorJson(d: Descriptor): { [key: string]: JsonValue } {
  return { digest: d.digest, size: d.size, mediaType: d.mediaType };
}

/** One gzip layer and a config that names its diff_id; gzip output is deterministic (mtime 0). */
async function pushConfigAndLayer(
  client: AdminClient,
  repo: string,
  label: string,
  platform: Platform,
  oci: boolean,
): Promise<{ config: Descriptor; layer: Descriptor }> {
  const raw = Buffer.from(`retag test layer ${label}\n${hex(label)}\n`);
  const layerBytes = gzipSync(raw);
  const configBytes = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...('variant' in platform ? { variant: platform.variant } : {}),
      created: '2024-01-01T00:00:00Z',
      config: { Labels: { 'org.example.retag-test.seed': label } },
      rootfs: { type: 'layers', diff_ids: [`sha256:${createHash('sha256').update(raw).digest('hex')}`] },
      history: [{ created: '2024-01-01T00:00:00Z', created_by: `retag test seed ${label}` }],
    }),
  );
  const [configDigest, layerDigest] = [
    await client.pushBlob(repo, configBytes),
    await client.pushBlob(repo, layerBytes),
  ];
  return {
    config: {
      mediaType: oci ? MEDIA_TYPES.ociConfig : MEDIA_TYPES.dockerConfig,
      digest: configDigest,
      size: configBytes.length,
    },
    layer: {
      mediaType: oci ? MEDIA_TYPES.ociLayer : MEDIA_TYPES.dockerLayer,
      digest: layerDigest,
      size: layerBytes.length,
    },
  };
}

/** A single-platform manifest's bytes (blobs pushed), not yet PUT. */
async function imageManifest(
  client: AdminClient,
  repo: string,
  label: string,
  platform: Platform,
  oci: boolean,
): Promise<{ bytes: Buffer; mediaType: string }> {
  const { config, layer } = await pushConfigAndLayer(client, repo, label, platform, oci);
  const mediaType = oci ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.dockerManifest;
  const manifest: { [key: string]: JsonValue } = {
    layers: [descriptorJson(layer)],
    config: descriptorJson(config),
    mediaType,
    schemaVersion: 2,
  };
  if (oci) manifest.annotations = { 'org.example.retag-test.seed': label };
  return { bytes: oddJson(manifest), mediaType };
}

/** Children by digest first (the registry checks an index's references exist), then the index. */
async function seedIndex(client: AdminClient, spec: SeedSpec, label: string, oci: boolean): Promise<SeededImage> {
  const children: SeededChild[] = [];
  for (const platform of PLATFORMS) {
    const child = await imageManifest(client, spec.repo, `${label}/${platform.architecture}`, platform, oci);
    const digest = await client.putManifest(spec.repo, sha256Digest(child.bytes), child.bytes, child.mediaType);
    children.push({ ...child, digest, platform: { ...platform } });
  }
  const mediaType = oci ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.dockerList;
  const index = oddJson({
    manifests: children.map((c) => ({
      ...descriptorJson({ mediaType: c.mediaType, digest: c.digest, size: c.bytes.length }),
      platform: { ...c.platform },
    })),
    mediaType,
    schemaVersion: 2,
  });
  const digest = await client.putManifest(spec.repo, spec.tag, index, mediaType);
  return { ...base(spec), digest, mediaType, bytes: index, children };
}

function base(spec: SeedSpec): Pick<SeededImage, 'repo' | 'tag' | 'kind'> {
  return { repo: spec.repo, tag: spec.tag, kind: spec.kind };
}

async function seedOne(client: AdminClient, spec: SeedSpec): Promise<SeededImage> {
  const label = `${spec.kind}:${spec.variant ?? ''}`;
  const amd64 = PLATFORMS[0];
  switch (spec.kind) {
    case 'docker-v2':
    case 'oci-manifest': {
      const { bytes, mediaType } = await imageManifest(client, spec.repo, label, amd64, spec.kind === 'oci-manifest');
      const digest = await client.putManifest(spec.repo, spec.tag, bytes, mediaType);
      return { ...base(spec), digest, mediaType, bytes, children: [] };
    }
    case 'docker-list':
      return seedIndex(client, spec, label, false);
    case 'oci-index':
      return seedIndex(client, spec, label, true);
    case 'docker-schema1': {
      // Needs a registry started with `schema1: true`; 2.8 refuses schema 1 PUTs otherwise.
      const { layer } = await pushConfigAndLayer(client, spec.repo, label, amd64, false);
      const { bytes, mediaType } = signedSchema1({
        repo: spec.repo,
        tag: spec.tag,
        architecture: amd64.architecture,
        layerDigests: [layer.digest],
        label,
      });
      const digest = await client.putManifest(spec.repo, spec.tag, bytes, mediaType);
      return { ...base(spec), digest, mediaType, bytes, children: [] };
    }
  }
}

/** Sequential on purpose: concurrent uploads of one blob to distribution 2.8 gain little and race. */
export async function seedImages(client: AdminClient, specs: SeedSpec[]): Promise<SeededImage[]> {
  const seeded: SeededImage[] = [];
  for (const spec of specs) seeded.push(await seedOne(client, spec));
  return seeded;
}
