// Signed Docker image manifest schema 1 (https://distribution.github.io/distribution/spec/manifest-v2-1/),
// which retag must refuse, seeded so tests can prove it does. The registry verifies the
// libtrust "pretty JWS" signature on PUT, so it is signed here the way libtrust does
// (github.com/docker/libtrust jsonsign.go): the payload is the manifest without its last `}`,
// the protected header records where the `signatures` key was spliced in, and the signature
// is ES256 over `protected.base64url(payload)`.
import { generateKeyPairSync, sign } from 'node:crypto';
import { MEDIA_TYPES } from './media-types.js';

export interface Schema1Input {
  repo: string;
  tag: string;
  architecture: string;
  /** `sha256:...` of layer blobs already in the repository, top layer first. */
  layerDigests: string[];
  /** Makes the image id (and so the manifest) unique per variant. */
  label: string;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** The unsigned payload, 3-space indented as docker and libtrust write it. */
function payload(input: Schema1Input): Buffer {
  const history = input.layerDigests.map((_, i) => ({
    v1Compatibility: JSON.stringify({
      id: `${String(i).padStart(2, '0')}${Buffer.from(input.label).toString('hex').padEnd(62, '0').slice(0, 62)}`,
      created: '2024-01-01T00:00:00Z',
      architecture: input.architecture,
      os: 'linux',
      container_config: { Cmd: [`retag schema1 seed ${input.label}`] },
    }),
  }));
  const manifest = {
    schemaVersion: 1,
    name: input.repo,
    tag: input.tag,
    architecture: input.architecture,
    fsLayers: input.layerDigests.map((blobSum) => ({ blobSum })),
    history,
  };
  return Buffer.from(JSON.stringify(manifest, null, 3));
}

/** Returns the signed bytes to PUT with `MEDIA_TYPES.dockerSchema1Signed`. */
export function signedSchema1(input: Schema1Input): { bytes: Buffer; mediaType: string } {
  const content = payload(input);
  const text = content.toString('utf8');
  // libtrust: formatLength ends at the last non-space before the closing brace; the rest is the tail.
  const close = text.lastIndexOf('}');
  const formatLength = text.slice(0, close).trimEnd().length;
  const formatTail = text.slice(formatLength);
  const protectedHeader = base64url(
    JSON.stringify({ formatLength, formatTail: base64url(formatTail), time: new Date().toISOString() }),
  );
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  // JOSE wants r||s, not DER (RFC 7518 section 3.4).
  const signature = sign('sha256', Buffer.from(`${protectedHeader}.${base64url(content)}`), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  const signatures = [
    {
      header: { jwk: { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }, alg: 'ES256' },
      signature: base64url(signature),
      protected: protectedHeader,
    },
  ];
  const sigs = JSON.stringify(signatures, null, 3).replaceAll('\n', '\n   ');
  const signed = `${text.slice(0, formatLength)},\n   "signatures": ${sigs}${formatTail}`;
  return { bytes: Buffer.from(signed), mediaType: MEDIA_TYPES.dockerSchema1Signed };
}

/**
 * The signed-over payload of a pretty-JWS manifest: what distribution 2.8 stores and digests.
 * The registry re-signs schema 1 on every GET (fresh key and time), so the served bytes differ
 * from the PUT bytes and between GETs; only this payload, and its sha256, are stable.
 */
export function schema1Payload(signed: Buffer): Buffer {
  const parsed = JSON.parse(signed.toString('utf8')) as { signatures?: { protected?: string }[] };
  const header = parsed.signatures?.[0]?.protected;
  if (header === undefined) throw new Error('not a signed schema 1 manifest');
  const { formatLength, formatTail } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
    formatLength: number;
    formatTail: string;
  };
  return Buffer.concat([signed.subarray(0, formatLength), Buffer.from(formatTail, 'base64url')]);
}
