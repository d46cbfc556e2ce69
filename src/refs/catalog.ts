// The tag files, seen from the references' side: which images are managed, their tags, their
// build tags, and the namespaces the tag files manage (an image there that no tag file lists is
// `unmanaged`). Pure: built once per run from the loader's entries.
import type { TagEntry } from '../config/index.js';
import { canonicalName, DOCKER_HUB } from '../image-name/index.js';

export interface ManagedImage {
  /** `docker.io/starlingx/x`: the tag file's name, normalised */
  name: string;
  registry: string;
  repository: string;
  /** every `tag` of this image across the tag files, in the order read */
  tags: string[];
  /** src_build_tag -> the tags made from it */
  buildTags: Map<string, string[]>;
}

export interface Catalog {
  byName: Map<string, ManagedImage>;
  /** repository path -> images (a templated registry prefix leaves only the path to match) */
  byRepository: Map<string, ManagedImage[]>;
  /** `docker.io/starlingx`: the namespaces the tag files manage */
  namespaces: Set<string>;
  /** repository namespace (`starlingx`) -> the registries where it is managed */
  repositoryNamespaces: Map<string, string[]>;
  /**
   * Text every file holding a reference must contain (the first path component of each managed
   * repository, `starlingx`): a file without any is not scanned further. The scan is I/O bound
   * only while this cheap test rejects most files.
   */
  needles: string[];
  /** one-component names (`ubuntu:22.04`) only matter when a tag file manages an official image */
  hasLibraryImages: boolean;
}

function namespaceOf(path: string): string | undefined {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? undefined : path.slice(0, slash);
}

function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

export function buildCatalog(entries: readonly TagEntry[]): Catalog {
  const byName = new Map<string, ManagedImage>();
  const byRepository = new Map<string, ManagedImage[]>();
  const namespaces = new Set<string>();
  const repositoryNamespaces = new Map<string, string[]>();
  const needles = new Set<string>();
  let hasLibraryImages = false;
  for (const entry of entries) {
    const name = canonicalName(entry);
    let image = byName.get(name);
    if (image === undefined) {
      image = { name, registry: entry.registry, repository: entry.repository, tags: [], buildTags: new Map() };
      byName.set(name, image);
      const sameRepository = byRepository.get(entry.repository) ?? [];
      sameRepository.push(image);
      byRepository.set(entry.repository, sameRepository);
      const library = entry.registry === DOCKER_HUB && entry.repository.startsWith('library/');
      hasLibraryImages ||= library;
      // Docker Hub's official images share one namespace with thousands of others: managing
      // ubuntu does not make every library image an unmanaged one.
      const repositoryNamespace = namespaceOf(entry.repository);
      if (!library && repositoryNamespace !== undefined) {
        namespaces.add(`${entry.registry}/${repositoryNamespace}`);
        const registries = repositoryNamespaces.get(repositoryNamespace) ?? [];
        pushUnique(registries, entry.registry);
        repositoryNamespaces.set(repositoryNamespace, registries);
      }
      const parts = entry.repository.split('/');
      needles.add(library ? (parts[1] ?? entry.repository) : (parts[0] ?? entry.repository));
    }
    pushUnique(image.tags, entry.tag);
    const made = image.buildTags.get(entry.source) ?? [];
    pushUnique(made, entry.tag);
    image.buildTags.set(entry.source, made);
  }
  return { byName, byRepository, namespaces, repositoryNamespaces, needles: [...needles], hasLibraryImages };
}
