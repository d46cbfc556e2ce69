// What `npm run demo` seeds, shared with the test that runs the README's example against a real
// registry: the images of examples/demo-image-tags.yaml under their src_build_tag, one of them
// already tagged (an `exists` case).
import type { AdminClient } from './admin-client.js';
import { seedImages, type SeedSpec } from './seed.js';

/** The registry examples/demo-image-tags.yaml names; replaced by the real one's host:port. */
export const DEMO_SAMPLE_HOST = 'localhost:5055';

export const DEMO_IMAGES: readonly SeedSpec[] = [
  { repo: 'starlingx/k8s-cni-sriov', tag: 'master-centos-stable-20191203T153530Z.0', kind: 'docker-v2' },
  { repo: 'starlingx/stx-platformclients', tag: 'master-debian-trixie-amd64-stable-20260712T220100Z.0', kind: 'docker-list' },
  { repo: 'starlingx/stx-snmp', tag: 'master-debian-trixie-amd64-stable-20260713T220100Z.0', kind: 'oci-index' },
  { repo: 'starlingx/stx-fm-subagent', tag: 'master-debian-trixie-amd64-stable-20260713T220100Z.0', kind: 'oci-manifest' },
  { repo: 'starlingx/stx-fm-subagent', tag: 'stx.13.0-v1.0.2-trixie', kind: 'oci-manifest' },
];

export async function seedDemo(client: AdminClient): Promise<void> {
  await seedImages(client, [...DEMO_IMAGES]);
}
