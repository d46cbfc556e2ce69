// Where retag looks for credentials, in order (README "Credentials", docs/credentials.md):
//  1. --authfile FILE
//  2. $REGISTRY_AUTH_FILE
//  3. $XDG_RUNTIME_DIR/containers/auth.json, or /run/containers/$UID/auth.json when
//     XDG_RUNTIME_DIR is unset (where `podman login`/`skopeo login` write by default)
//  4. $XDG_CONFIG_HOME/containers/auth.json, or ~/.config/containers/auth.json
//  5. $DOCKER_CONFIG/config.json, or ~/.docker/config.json (`docker login`)
//  6. ~/.dockercfg (docker's legacy format)
// The containers' files come first, then docker's, as containers/image (podman, skopeo, buildah)
// reads them: pkg/docker/config getAuthFilePaths. Unlike containers/image, --authfile and
// $REGISTRY_AUTH_FILE do not hide the other files: a run that names one file for its private
// registry still finds the build host's `docker login` for the others (docs/credentials.md).
// Pure: the environment comes in, a list of places goes out.

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { AuthFileFormat } from './auth-file.js';

export interface CredentialSource {
  path: string;
  /** how README names the place, e.g. `$XDG_RUNTIME_DIR/containers/auth.json` */
  label: string;
  format: AuthFileFormat;
  /** the user named this file: its absence is worth saying in the "none were found" message */
  named: boolean;
}

export interface LookupOrderOptions {
  /** --authfile, as given (relative to cwd) */
  authFile?: string;
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** the user id for /run/containers/$UID; undefined where there is none (Windows) */
  uid?: number;
  /** the home folder; $HOME, else the account's */
  home?: string;
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Every place, in lookup order, without repeats (the same file named twice is read once). */
export function credentialSources(options: LookupOrderOptions): CredentialSource[] {
  const { env } = options;
  const cwd = options.cwd ?? process.cwd();
  const home = options.home ?? (env.HOME || homedir());
  const uid = 'uid' in options ? options.uid : currentUid();
  const at = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const sources: CredentialSource[] = [];
  const add = (path: string, label: string, format: AuthFileFormat = 'auths', named = false) => {
    const full = at(path);
    if (!sources.some((source) => source.path === full)) sources.push({ path: full, label, format, named });
  };

  if (options.authFile !== undefined) add(options.authFile, `--authfile ${options.authFile}`, 'auths', true);
  if (env.REGISTRY_AUTH_FILE) add(env.REGISTRY_AUTH_FILE, '$REGISTRY_AUTH_FILE', 'auths', true);
  if (env.XDG_RUNTIME_DIR) add(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'), '$XDG_RUNTIME_DIR/containers/auth.json');
  else if (uid !== undefined) add(`/run/containers/${uid}/auth.json`, `/run/containers/${uid}/auth.json`);
  if (env.XDG_CONFIG_HOME) add(join(env.XDG_CONFIG_HOME, 'containers', 'auth.json'), '$XDG_CONFIG_HOME/containers/auth.json');
  else add(join(home, '.config', 'containers', 'auth.json'), '~/.config/containers/auth.json');
  if (env.DOCKER_CONFIG) add(join(env.DOCKER_CONFIG, 'config.json'), '$DOCKER_CONFIG/config.json');
  else add(join(home, '.docker', 'config.json'), '~/.docker/config.json');
  add(join(home, '.dockercfg'), '~/.dockercfg', 'legacy');
  return sources;
}
