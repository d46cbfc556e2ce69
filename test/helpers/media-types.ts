// Media types the seeded images use, from the Docker image manifest v2 spec
// (https://distribution.github.io/distribution/spec/manifest-v2-2/) and the OCI image spec
// (https://github.com/opencontainers/image-spec/blob/main/media-types.md).
export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
} as const;

/** The Accept list of REGISTRY.md: without all four, a HEAD can answer a child's digest. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifest,
] as const;

/**
 * What the admin client accepts: the list above plus schema 1, so the tests see whatever is
 * stored. (distribution 2.8 only converts to schema 1 when schema 2 is *not* accepted.)
 */
export const ADMIN_ACCEPT = [
  ...MANIFEST_ACCEPT,
  MEDIA_TYPES.dockerSchema1Signed,
  MEDIA_TYPES.dockerSchema1,
].join(', ');
