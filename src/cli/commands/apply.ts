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
  /** where logs go; stderr unless a test captures them */
  logDestination?: NodeJS.WritableStream;
}

function credentialStore(options: ApplyOptions): CredentialStore {
  const fromConfig = defaultCredentialStore(options.env ?? process.env);
  if (options.username !== undefined && options.password !== undefined) {
    return chainStores([explicitStore(options.username, options.password), fromConfig]);
  }
  return fromConfig;
}

/**
 * RETAG_TOKEN_SCOPES_PER_REQUEST: repositories per token request (default 25, 1 = a token request
 * per repository). A tuning knob for realms that limit scopes, and how the benchmark compares both.
 */
function scopesPerTokenRequest(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.RETAG_TOKEN_SCOPES_PER_REQUEST);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
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
    scopesPerTokenRequest: scopesPerTokenRequest(options.env ?? process.env),
  });
  logger.info(
    // startupMs: since the process started (node, modules, tag files), for the benchmark
    { images: loaded.entries.length, dryRun: options.dryRun, concurrency: options.concurrency, startupMs: Math.round(performance.now()) },
    'retag run starting',
  );
  try {
    const run = await runRetag(loaded.entries, session.client, {
      dryRun: options.dryRun,
      concurrency: options.concurrency,
      signal: options.signal,
      onResult: (result: ImageResult) =>
        logger.info({ image: `${result.target.name}:${result.target.tag}`, status: result.status }, 'image done'),
    });
    logger.info(
      {
        requests: session.transport.stats.requests,
        byMethod: session.transport.stats.byMethod,
        tokenFetches: session.authenticator.tokenFetches,
        maxRssKiB: process.resourceUsage().maxRSS, // peak memory, for the benchmark
      },
      'retag run finished',
    );
    options.io.stdout.write(options.output === 'json' ? renderRunJson(run) : renderRunText(run));
    return runSucceeded(run) ? EXIT_OK : EXIT_IMAGES_FAILED;
  } finally {
    await session.close();
  }
}
