// apply's credential options turned into one credential store, with the checks that need the
// run's images: --username/--password-stdin are for one registry, named by --registry or, when
// every image of the run is on one registry, that one (issue 12). Usage errors, exit 2, before
// any registry is contacted.

import { resolve } from 'node:path';
import {
  AuthFileError,
  chainStores,
  defaultCredentialStore,
  explicitStore,
  hasRepositoryKeys,
  normaliseRegistry,
  readAuthFile,
  sameRegistry,
  type CredentialStore,
  type Secret,
} from '../registry/index.js';
import { UsageError } from './exit-codes.js';

export interface CredentialOptions {
  username?: string;
  password?: Secret;
  /** --registry: the registry --username/--password-stdin are for */
  registry?: string;
  /** --authfile */
  authFile?: string;
  cwd?: string;
  env: NodeJS.ProcessEnv;
}

/** The run's registries, each once, as the tag files first write them. */
function registriesOf(images: readonly { registry: string }[]): string[] {
  const seen = new Map<string, string>();
  for (const image of images) {
    const key = normaliseRegistry(image.registry);
    if (!seen.has(key)) seen.set(key, image.registry);
  }
  return [...seen.values()];
}

/** Which registry the explicit credentials are for; a UsageError when that is not clear. */
export function explicitCredentialRegistry(images: readonly { registry: string }[], named: string | undefined): string {
  const registries = registriesOf(images);
  if (named !== undefined) {
    if (registries.length > 0 && !registries.some((registry) => sameRegistry(registry, named))) {
      throw new UsageError(
        `--registry ${named} is not a registry of this run's images (${registries.join(', ')}); ` +
          'name the registry the --username/--password-stdin credentials are for',
      );
    }
    return named;
  }
  if (registries.length > 1) {
    throw new UsageError(
      `--username/--password-stdin are sent to one registry only, and this run's images are on ${registries.length}: ` +
        `${registries.join(', ')}; add --registry HOST[:PORT] to say which, and give the others' credentials in an --authfile`,
    );
  }
  return registries[0] ?? '';
}

/** --authfile must exist and parse: a typo would otherwise fall through to other files silently. */
async function checkAuthFile(authFile: string, cwd: string | undefined): Promise<void> {
  const path = resolve(cwd ?? process.cwd(), authFile);
  try {
    const file = await readAuthFile(path, `--authfile ${authFile}`, 'auths');
    if (!file) throw new UsageError(`--authfile ${authFile} does not exist; give the file \`skopeo login --authfile FILE\` or \`podman login --authfile FILE\` wrote`);
  } catch (error) {
    if (error instanceof AuthFileError) throw new UsageError(error.message);
    throw error;
  }
}

export interface RunCredentials {
  store: CredentialStore;
  /** auth files key credentials by host/namespace here: one token request per repository */
  perRepository: boolean;
}

export async function credentialsFor(images: readonly { registry: string }[], options: CredentialOptions): Promise<RunCredentials> {
  if (options.authFile !== undefined) await checkAuthFile(options.authFile, options.cwd);
  const order = { authFile: options.authFile, cwd: options.cwd, env: options.env };
  const files = defaultCredentialStore(order);
  const perRepository = await hasRepositoryKeys(order, registriesOf(images));
  if (options.username === undefined || options.password === undefined) return { store: files, perRepository };
  const registry = explicitCredentialRegistry(images, options.registry);
  return { store: chainStores([explicitStore(options.username, options.password, registry), files]), perRepository };
}
