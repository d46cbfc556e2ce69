// Manifest media types a registry may answer, and what retag sends as Accept.
// https://github.com/opencontainers/image-spec/blob/main/media-types.md
// https://distribution.github.io/distribution/spec/manifest-v2-2/

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json';
export const DOCKER_SCHEMA1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';

export const SUPPORTED_MANIFEST_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST_V2] as const;

/**
 * The full list on every HEAD and GET: without the index types a registry may answer the digest
 * of one platform's child instead of the index (opencontainers/distribution-spec#207).
 */
export const MANIFEST_ACCEPT = SUPPORTED_MANIFEST_TYPES.join(', ');

/** Manifests this large are not manifests; registries themselves cap them at 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** `application/json` is not among them: registries serve any manifest under it; the body's schemaVersion tells. */
export function isSchema1(mediaType: string): boolean {
  return mediaType === DOCKER_SCHEMA1 || mediaType === DOCKER_SCHEMA1_SIGNED;
}

/** The media type without parameters (`; charset=utf-8`), lowercase. */
export function bareMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
