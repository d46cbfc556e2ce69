// The registry flags every command that contacts a registry shares (--insecure-registry,
// --ca-file, --username/--password-stdin, --request-timeout): checked once, before any request,
// and turned into one registry session. Used by apply and pin.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  DEFAULT_CERTS_DIR,
  openRegistrySession,
  proxyProblem,
  type RegistrySession,
  type Secret,
} from '../registry/index.js';
import type { registryOptions } from './common-options.js';
import type { CommandContext } from './context.js';
import { credentialsFor, type RunCredentials } from './credential-options.js';
import { UsageError } from './exit-codes.js';
import type { createLogger } from './logger.js';
import type { FlagsOf } from './options.js';
import { readPasswordFromStdin } from './password-stdin.js';

export type RegistryFlags = FlagsOf<ReturnType<typeof registryOptions>>;

/** What the registry flags mean once checked. */
export interface CheckedRegistryFlags {
  password?: Secret;
  /** --ca-file's PEM text */
  extraCa: string[];
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$/;

/** Throws UsageError for a wrong registry flag or proxy variable; reads --password-stdin last. */
export async function checkRegistryFlags(flags: RegistryFlags, context: CommandContext, command: string): Promise<CheckedRegistryFlags> {
  if ((flags.username === undefined) !== (flags.passwordStdin === undefined)) {
    throw new UsageError(`--username and --password-stdin go together: pipe the password in, e.g. \`echo "$PW" | retag ${command} --username me --password-stdin FILE\``);
  }
  if (flags.registry !== undefined && flags.username === undefined) {
    throw new UsageError('--registry names the registry --username/--password-stdin are for; give them too, or use --authfile for several registries');
  }
  if (flags.registry !== undefined && !HOST_PORT.test(flags.registry)) {
    throw new UsageError(`--registry takes HOST or HOST:PORT as in image names (registry.lab:5000, docker.io), not "${flags.registry.slice(0, 100)}"`);
  }
  if (flags.authfile !== undefined && flags.authfile.trim() === '') throw new UsageError('--authfile was given an empty file name (an unset variable?)');
  const notHost = (flags.insecureRegistry ?? []).find((value) => !HOST_PORT.test(value));
  if (notHost !== undefined) {
    throw new UsageError(`--insecure-registry takes HOST or HOST:PORT as in image names (registry.lab:5000), not "${notHost.slice(0, 100)}"`);
  }
  const badProxy = proxyProblem(context.env);
  if (badProxy) throw new UsageError(badProxy);
  const extraCa = flags.caFile === undefined ? [] : [await readCaFile(flags.caFile, context.cwd)];
  const password = flags.passwordStdin ? await readPasswordFromStdin(context.stdin) : undefined;
  return { password, extraCa };
}

async function readCaFile(file: string, cwd: string | undefined): Promise<string> {
  let text: string;
  try {
    text = await readFile(resolve(cwd ?? process.cwd(), file), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--ca-file ${file} cannot be read (${reason}); give a PEM file of CA certificates`);
  }
  // Node takes any text as a CA without complaint; a wrong file would surface as TLS errors on every image.
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`--ca-file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----); give a PEM file of CA certificates`);
  }
  return text;
}

/**
 * TEST-ONLY: RETAG_RETRY_BASE_MS shortens the first retry backoff (milliseconds) so the
 * fault-injection suite, which spawns the real binary, runs in seconds. Not a user setting and
 * not documented in --help; Retry-After and the caps of RETRY_POLICY still apply.
 */
function retryOverrides(env: NodeJS.ProcessEnv): { baseDelayMs: number } | undefined {
  const value = Number(env.RETAG_RETRY_BASE_MS);
  return env.RETAG_RETRY_BASE_MS !== undefined && Number.isInteger(value) && value >= 0 ? { baseDelayMs: value } : undefined;
}

/** The run's credential store (--authfile, --username/--password-stdin for --registry, docker config). */
export function cliCredentials(
  images: readonly { registry: string }[],
  flags: RegistryFlags,
  checked: CheckedRegistryFlags,
  context: CommandContext,
): Promise<RunCredentials> {
  return credentialsFor(images, {
    username: flags.username,
    password: checked.password,
    registry: flags.registry,
    authFile: flags.authfile,
    cwd: context.cwd,
    env: context.env,
  });
}

/**
 * RETAG_TOKEN_SCOPES_PER_REQUEST: repositories per token request (default 25, 1 = a token request
 * per repository). A tuning knob for realms that limit scopes, and how the benchmark compares both.
 */
function scopesPerTokenRequest(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.RETAG_TOKEN_SCOPES_PER_REQUEST);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

export function openCliSession(
  flags: RegistryFlags & { concurrency: number },
  checked: CheckedRegistryFlags,
  context: CommandContext,
  credentials: RunCredentials,
  logger: ReturnType<typeof createLogger>,
  /** a dry-run: tokens ask for push only to learn whether it would be granted */
  options: { pushOptional?: boolean } = {},
): RegistrySession {
  const { env } = context;
  if (flags.tlsVerify === false) {
    context.io.stderr.write('retag: warning: --tls-verify=false: TLS certificates of every registry in this run are not checked; use it for test registries only\n');
  }
  return openRegistrySession({
    credentials: credentials.store,
    insecureRegistries: flags.insecureRegistry ?? [],
    concurrency: flags.concurrency,
    requestTimeoutMs: flags.requestTimeout * 1000,
    logger,
    env,
    extraCa: checked.extraCa,
    tlsVerify: flags.tlsVerify,
    certsDir: env.RETAG_CERTS_D || DEFAULT_CERTS_DIR,
    retry: retryOverrides(env),
    // per-repository credential keys: a batched token asked with one account must not serve another's repository
    scopesPerTokenRequest: credentials.perRepository ? 1 : scopesPerTokenRequest(env),
    pushOptional: options.pushOptional,
  });
}
