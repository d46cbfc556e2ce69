// The checks of single tag-file fields: the tag grammar, what a src_ref and a src_digest may be.
// Pure. A file of their own: the schema (schema.ts) runs them per field and the cross-entry rules
// (rules.ts) import the schema's types, so neither imports the other in a circle.
import { isValidTag } from '../image-name/index.js';
import { isHttpUrl } from '../shared/http-url.js';

const MAX_TAG_LENGTH = 128;

/** Why `value` is not a valid tag for `field`, or undefined when it is one. */
export function tagProblem(field: string, value: string): string | undefined {
  if (isValidTag(value)) return undefined;
  if (value === '') return `${field} is empty; give a tag`;
  if (value.length > MAX_TAG_LENGTH) {
    return `${field} "${value.slice(0, 40)}..." is ${value.length} characters long; the limit is ${MAX_TAG_LENGTH}`;
  }
  if (value.includes(':') || value.includes('@')) {
    return `${field} "${value}" is not a valid tag; give the tag alone, without the image name or a digest`;
  }
  if (value.startsWith('.') || value.startsWith('-')) {
    return `${field} "${value}" is not a valid tag; a tag must start with a letter, a digit or '_'`;
  }
  return `${field} "${value}" is not a valid tag; use letters, digits, '_', '.', '-' (max ${MAX_TAG_LENGTH})`;
}

/** Why `value` is not a usable src_ref (an http(s) link to the source commit), or undefined. */
export function srcRefProblem(value: string): string | undefined {
  if (!isHttpUrl(value)) {
    return `src_ref "${value}" is not an http(s) URL; give the link to the source commit, or remove the line`;
  }
  return undefined;
}

const DIGEST_FORMS: Record<string, number> = { sha256: 64, sha512: 128 };

/** Whether `value` is a manifest digest a tag file may pin: `sha256:` + 64 or `sha512:` + 128 lowercase hex. */
export function isPinnableDigest(value: string): boolean {
  const match = /^([a-z0-9]+):([0-9a-f]+)$/.exec(value);
  return match !== null && DIGEST_FORMS[match[1] ?? ''] === match[2]?.length;
}

/** Why `value` is not a usable src_digest, or undefined when it is one. */
export function srcDigestProblem(value: string): string | undefined {
  if (isPinnableDigest(value)) return undefined;
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  const [algorithm, hex] = value.split(':', 2);
  const wanted = DIGEST_FORMS[algorithm ?? ''];
  const why =
    value === ''
      ? 'src_digest is empty'
      : hex === undefined
        ? `src_digest "${shown}" is not a digest (no algorithm: prefix)`
        : wanted === undefined
          ? `src_digest "${shown}" uses algorithm "${(algorithm ?? '').slice(0, 20)}"; only sha256 and sha512 are used for manifests`
          : /[A-F]/.test(hex)
            ? `src_digest "${shown}" has uppercase hex; registries write digests in lowercase`
            : `src_digest "${shown}" must be ${algorithm}: followed by ${wanted} hex digits (it has ${hex.length} characters after the colon)`;
  return `${why}; give the manifest digest src_build_tag points at (\`retag pin FILE\` writes it), or remove the line`;
}
