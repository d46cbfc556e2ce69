// A catalog from tag-file text, through the real loader's parser, for the refs unit tests.
import { parseTagFileText } from '../../../src/config/index.js';
import { buildCatalog, type Catalog } from '../../../src/refs/index.js';

export function catalogOf(tagFileText: string): Catalog {
  const parsed = parseTagFileText(tagFileText, 'tags.yaml');
  if (parsed.problems.length > 0) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return buildCatalog(parsed.entries);
}

export const SHA = 'a'.repeat(64);

/** docker.io/starlingx images: one tag each, except stx-oidc-client with one tag per OS. */
export const STX = catalogOf(`images:
  - name: docker.io/starlingx/k8s-cni-sriov
    src_build_tag: master-centos-stable-20191203T153530Z.0
    tag: stx.4.0-v2.2
  - name: docker.io/starlingx/dex
    src_build_tag: master-centos-stable-20200204T162546Z.0
    tag: stx.4.0-v2.14.0-1
  - name: docker.io/starlingx/stx-oidc-client
    src_build_tag: master-debian-stable-20250101T000000Z.0
    tag: stx.13.0-v1.0.12-bullseye
  - name: docker.io/starlingx/stx-oidc-client
    src_build_tag: master-debian-stable-20250102T000000Z.0
    tag: stx.13.0-v1.0.12-trixie
`);
