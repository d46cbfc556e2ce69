// Image names as the distribution reference grammar defines them:
// https://github.com/distribution/reference/blob/main/reference.go
// Pure, no I/O, and a leaf: the tag-file schema (config/), the registry client and `retag refs` all
// import it, and it imports nothing of theirs.

/** The Docker Hub registry as users write it, and where its API really lives. */
export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** Docker's config keys Docker Hub credentials by this legacy URL, not by host. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^[0-9]+$/;
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/;
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const MAX_NAME_LENGTH = 255;

export interface ImageReference {
  /** The registry as the user would name it: `docker.io`, `quay.io`, `127.0.0.1:5000`. */
  registry: string;
  /** The repository path on that registry, `library/` added for one-part Docker Hub names. */
  repository: string;
}

/** A name as messages show it: a hostile 300,000-character name is not echoed in full. */
function shown(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

export class ImageNameError extends Error {
  override name = 'ImageNameError';
}

/** A first component is a registry host when it looks like one (docker's splitDockerDomain). */
function looksLikeHost(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost' ||
    component !== component.toLowerCase()
  );
}

function checkHost(host: string): string | undefined {
  let hostname = host;
  let port: string | undefined;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    hostname = host.slice(0, end + 1);
    const rest = host.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return `registry host "${shown(host)}" is not a valid host[:port]`;
      port = rest.slice(1);
    }
    if (!IPV6.test(hostname)) return `registry host "${shown(host)}" is not a valid IPv6 address`;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) {
      hostname = host.slice(0, colon);
      port = host.slice(colon + 1);
    }
    if (hostname === '' || !hostname.split('.').every((part) => DOMAIN_COMPONENT.test(part))) {
      return `registry host "${shown(host)}" is not a valid host name`;
    }
  }
  if (port !== undefined && !PORT.test(port)) return `registry port in "${shown(host)}" is not a number`;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `registry port in "${shown(host)}" is not between 1 and 65535`;
  return undefined;
}

/**
 * Parses an image name without tag or digest (`docker.io/starlingx/k8s-cni-sriov`,
 * `ubuntu`, `localhost:5000/team/app`). Throws ImageNameError with a message a user can act on.
 */
export function parseImageName(name: string): ImageReference {
  if (name.length === 0) throw new ImageNameError('image name is empty; give the repository, e.g. docker.io/starlingx/k8s-cni-sriov');
  if (name.length > MAX_NAME_LENGTH) {
    throw new ImageNameError(`image name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  if (name.includes('@')) {
    throw new ImageNameError(`image name "${shown(name)}" carries a digest; give the name only and put tags in src_build_tag/tag`);
  }
  const parts = name.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && looksLikeHost(first)) {
    const problem = checkHost(first);
    if (problem) throw new ImageNameError(problem);
    registry = DOCKER_HUB_ALIASES.has(first) ? DOCKER_HUB : first;
    parts.shift();
  }
  const last = parts[parts.length - 1] ?? '';
  if (last.includes(':')) {
    throw new ImageNameError(`image name "${shown(name)}" carries a tag; give the name only and put tags in src_build_tag/tag`);
  }
  for (const component of parts) {
    if (!PATH_COMPONENT.test(component)) {
      const hint = component !== component.toLowerCase() ? ' (repository paths must be lowercase)' : '';
      throw new ImageNameError(
        `image name "${shown(name)}" has an invalid path component "${shown(component)}"${hint}; ` +
          'components are lowercase letters and digits separated by ".", "_", "__" or "-"',
      );
    }
  }
  let repository = parts.join('/');
  if (registry === DOCKER_HUB && parts.length === 1) repository = `library/${repository}`;
  return { registry, repository };
}

/** `registry/repository`, the same for every way of writing one image (dedupe key). */
export function canonicalName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The host that serves the registry API for a registry name. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}

export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

/** Loopback registries get plain HTTP, as docker does for them. */
export function isLoopbackHost(registry: string): boolean {
  const host = hostnameOf(registry);
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host part of `host[:port]`, brackets kept for IPv6. */
export function hostnameOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(0, registry.indexOf(']') + 1);
  const colon = registry.lastIndexOf(':');
  return colon >= 0 ? registry.slice(0, colon) : registry;
}
