// Tags as references write them: literal (`stx.4.0-v2.2`), floating (`latest`,
// `master-centos-stable-latest`), or with placeholders that a build or a template fills in
// (`stx.13.0-v1.0.12-@OS_CODENAME@`, `${TAG}`, `{{ tag }}`, `$TAG`). Pure.

/**
 * The placeholder syntaxes: Jinja/Helm `{{ ... }}`, shell `${VAR}` (with `:-default` etc.) and
 * `$VAR`, StarlingX build substitutions `@VAR@`, Python `%s`/`%(name)s` and `{name}`.
 */
export const PLACEHOLDER_SOURCE = String.raw`\{\{[^{}]*\}\}|\$\{[^{}\s]+\}|\$[A-Za-z_][A-Za-z0-9_]*|@[A-Za-z_][A-Za-z0-9_]*@|%(?:\([A-Za-z_]\w*\))?s|\{[A-Za-z_][\w.]*\}`;
const PLACEHOLDER = new RegExp(PLACEHOLDER_SOURCE, 'g');
const WHOLE_PLACEHOLDER = new RegExp(`^(?:${PLACEHOLDER_SOURCE})$`);

export function hasPlaceholder(tag: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(tag);
}

/** The tag is only a variable (`${PLATFORM_DOCKER_IMAGE_TAG}`): nothing in it can be checked. */
export function isWholePlaceholder(tag: string): boolean {
  return WHOLE_PLACEHOLDER.test(tag);
}

/** `latest`, or a tag ending in `-latest` (`master-centos-stable-latest`, LP 1854869). */
export function isFloatingTag(tag: string): boolean {
  return tag === 'latest' || tag.endsWith('-latest');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The literal pieces of a tag between its placeholders: `a-@OS@-b` -> [`a-`, `-b`]. */
export function literalParts(tag: string): string[] {
  return tag.split(new RegExp(PLACEHOLDER_SOURCE)).map((part) => part ?? '');
}

/** A placeholder matches any text: `stx.4.0-@OS@` matches `stx.4.0-bullseye`. */
export function tagPattern(tag: string): RegExp {
  return new RegExp(`^${literalParts(tag).map(escapeRegExp).join('.+')}$`);
}

/** The tag-file tags this (possibly templated) tag stands for. */
export function matchingTags(tag: string, tags: readonly string[]): string[] {
  if (!hasPlaceholder(tag)) return tags.includes(tag) ? [tag] : [];
  const pattern = tagPattern(tag);
  return tags.filter((candidate) => pattern.test(candidate));
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

function commonSuffix(values: readonly string[]): string {
  let suffix = values[0] ?? '';
  for (const value of values) while (!value.endsWith(suffix)) suffix = suffix.slice(1);
  return suffix;
}

const SEPARATOR = /[-._]/;

/**
 * The new text for a tag with one placeholder, when the tag files hold one tag per value of it
 * (`stx.13.0-v1.0.12-bullseye`, `...-trixie` and a reference `stx.13.0-v1.0.11-@OS_CODENAME@`):
 * the candidates' common text around the part where they differ, the placeholder kept there
 * (`stx.13.0-v1.0.12-@OS_CODENAME@`). The reference says where the placeholder's value begins
 * and ends: after the separator it follows, before the one it precedes (`bullseye` and `trixie`
 * share a final `e`, `bullseye` and `buster` a `bu`; neither belongs outside the placeholder).
 * Undefined when that cannot be told (one candidate, two placeholders, no separator).
 */
export function placeholderRewrite(tag: string, candidates: readonly string[]): string | undefined {
  PLACEHOLDER.lastIndex = 0;
  const placeholders = tag.match(PLACEHOLDER) ?? [];
  const [before = '', after = ''] = literalParts(tag);
  if (placeholders.length !== 1 || candidates.length < 2) return undefined;
  let suffix = '';
  if (after !== '') {
    const separator = after[0] ?? '';
    if (!SEPARATOR.test(separator)) return undefined;
    const common = commonSuffix(candidates);
    const cut = common.indexOf(separator);
    if (cut < 0) return undefined;
    suffix = common.slice(cut);
  }
  const heads = candidates.map((candidate) => candidate.slice(0, candidate.length - suffix.length));
  let prefix = '';
  if (before !== '') {
    const separator = before[before.length - 1] ?? '';
    if (!SEPARATOR.test(separator)) return undefined;
    const common = commonPrefix(heads);
    const cut = common.lastIndexOf(separator);
    if (cut < 0) return undefined;
    prefix = common.slice(0, cut + 1);
  }
  if (heads.some((head) => head.length <= prefix.length)) return undefined; // the placeholder would stand for nothing
  return `${prefix}${placeholders[0] ?? ''}${suffix}`;
}
