// `retag apply [--dry-run] FILE...`: validate every file first (exit 2 and no request when any
// is invalid), then retag every image against its registry and report each one.

import { loadTagFiles } from '../../config/index.js';
import {
  chainStores,
  defaultCredentialStore,
  explicitStore,
  openRegistrySession,
  type CredentialStore,
  type Secret,
} from '../../registry/index.js';
import { runRetag, runSucceeded, type ImageResult } from '../../retag/index.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CommandIo } from '../io.js';
import { createLogger, type LogLevel } from '../logger.js';
import { renderProblemsText, renderRunJson, renderRunText, type OutputFormat } from '../render.js';

export interface ApplyOptions {
  files: string[];
  dryRun: boolean;
  concurrency: number;
  output: OutputFormat;
  logLevel: LogLevel;
  insecureRegistries: string[];
  requestTimeoutMs?: number;
  username?: string;
  password?: Secret;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  io: CommandIo;
  /** aborted on SIGINT/SIGTERM: no new image starts */
  signal?: AbortSignal;
  /** aborted a grace period later: requests still in flight are given up */
  abortSignal?: AbortSignal;
  /** where logs go; stderr unless a test captures them */
  logDestination?: NodeJS.WritableStream;
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

function credentialStore(options: ApplyOptions): CredentialStore {
  const fromConfig = defaultCredentialStore(options.env ?? process.env);
  if (options.username !== undefined && options.password !== undefined) {
    return chainStores([explicitStore(options.username, options.password), fromConfig]);
  }
  return fromConfig;
}

export async function applyCommand(options: ApplyOptions): Promise<number> {
  const loaded = await loadTagFiles(options.files, { cwd: options.cwd });
  if (loaded.problems.length > 0) {
    options.io.stderr.write(renderProblemsText(loaded.problems));
    return EXIT_USAGE;
  }
  const logger = createLogger(options.logLevel, options.logDestination);
  const session = openRegistrySession({
    credentials: credentialStore(options),
    insecureRegistries: options.insecureRegistries,
    concurrency: options.concurrency,
    requestTimeoutMs: options.requestTimeoutMs,
    logger,
    retry: retryOverrides(options.env ?? process.env),
  });
  logger.info({ images: loaded.entries.length, dryRun: options.dryRun, concurrency: options.concurrency }, 'retag run starting');
  try {
    const run = await runRetag(loaded.entries, session.client, {
      dryRun: options.dryRun,
      concurrency: options.concurrency,
      signal: options.signal,
      requestSignal: options.abortSignal,
      onResult: (result: ImageResult) =>
        logger.info({ image: `${result.target.name}:${result.target.tag}`, status: result.status }, 'image done'),
    });
    logger.info(
      { requests: session.transport.stats.requests, byMethod: session.transport.stats.byMethod, tokenFetches: session.authenticator.tokenFetches },
      'retag run finished',
    );
    options.io.stdout.write(options.output === 'json' ? renderRunJson(run) : renderRunText(run));
    return runSucceeded(run) ? EXIT_OK : EXIT_IMAGES_FAILED;
  } finally {
    await session.close();
  }
}
