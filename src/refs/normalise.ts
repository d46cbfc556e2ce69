// Which image a written name means, against the tag files. The name grammar is the registry
// module's (parseImageName); this module adds the ways references write names that a registry
// never sees: docker's short forms, a mirror prefix that keeps the source path
// (`registry.local:9001/docker.io/starlingx/x`) and a templated registry (`{{ url }}/starlingx/x`).
// Matching is always on the whole normalised name: `ghcr.io/dexidp/dex` is not
// `docker.io/starlingx/dex`, whatever their last components. Pure.
import { canonicalName, DOCKER_HUB, parseImageName, ImageNameError, type ImageReference } from '../image-name/index.js';
import type { Catalog, ManagedImage } from './catalog.js';

/** How the name was written: the full name, a short form, a mirror path or a templated registry. */
export type NameForm = 'full' | 'short' | 'mirror' | 'templated-registry';

export type Resolution =
  | { kind: 'managed'; image: ManagedImage; via: NameForm }
  | { kind: 'unmanaged'; name: string; via: NameForm };

function parse(name: string): ImageReference | undefined {
  try {
    return parseImageName(name);
  } catch (error) {
    if (error instanceof ImageNameError) return undefined;
    throw error;
  }
}

/** docker's rule (splitDockerDomain): a first component with a dot or a port, or localhost. */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Files and archives often sit in a folder named like a namespace (`starlingx/x.tar.gz`). */
const FILE_NAME = /\.(ya?ml|j2|json|sh|py|md|rst|txt|tgz|tar|gz|zip|git|html?|cfg|conf|ini|patch|diff|xml|png|svg|lock)$/;

function lookUp(reference: ImageReference, via: NameForm, catalog: Catalog): Resolution | undefined {
  const name = canonicalName(reference);
  const image = catalog.byName.get(name);
  if (image !== undefined) return { kind: 'managed', image, via };
  const slash = name.lastIndexOf('/');
  if (catalog.namespaces.has(name.slice(0, slash)) && !FILE_NAME.test(name)) return { kind: 'unmanaged', name, via };
  return undefined;
}

/** `{{ docker_registry.url }}/starlingx/x`: only the path is known; match it on any registry. */
function resolveTemplatedRegistry(path: string, catalog: Catalog): Resolution | undefined {
  const first = path.split('/')[0] ?? '';
  if (looksLikeHost(first)) {
    // `{{ mirror }}/docker.io/starlingx/x`: a templated mirror in front of a full name
    const reference = parse(path);
    return reference === undefined ? undefined : lookUp(reference, 'templated-registry', catalog);
  }
  const repository = path.includes('/') ? path : `library/${path}`;
  if (parse(repository) === undefined) return undefined;
  const images = catalog.byRepository.get(repository);
  if (images !== undefined) {
    const image = images.find((i) => i.registry === DOCKER_HUB) ?? images[0];
    if (image !== undefined) return { kind: 'managed', image, via: 'templated-registry' };
  }
  const slash = repository.lastIndexOf('/');
  const registries = catalog.repositoryNamespaces.get(repository.slice(0, slash));
  if (registries === undefined || FILE_NAME.test(repository)) return undefined;
  const registry = registries.includes(DOCKER_HUB) ? DOCKER_HUB : (registries[0] ?? DOCKER_HUB);
  return { kind: 'unmanaged', name: `${registry}/${repository}`, via: 'templated-registry' };
}

/**
 * The image a written name means, or undefined when it names nothing the tag files manage or
 * could manage (another namespace, not a valid name).
 */
export function resolveName(name: string, templatedRegistry: boolean, catalog: Catalog): Resolution | undefined {
  if (templatedRegistry) return resolveTemplatedRegistry(name, catalog);
  const reference = parse(name);
  if (reference === undefined) return undefined;
  const first = name.split('/')[0] ?? '';
  const written: NameForm = name.includes('/') && looksLikeHost(first) ? 'full' : 'short';
  if (written === 'full' && reference.registry !== DOCKER_HUB) {
    // a mirror keeps the source path: registry.local:9001/docker.io/starlingx/x
    const inner = reference.repository.split('/')[0] ?? '';
    if (looksLikeHost(inner)) {
      const source = parse(reference.repository);
      if (source !== undefined) return lookUp(source, 'mirror', catalog);
    }
  }
  return lookUp(reference, written, catalog);
}
