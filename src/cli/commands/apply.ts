// `retag apply [--dry-run] FILE...`: validate every file first (exit 2 and no request when any
// is invalid), then retag every image against its registry and report each one.

import { loadTagFiles } from '../../config/index.js';
import { DEFAULT_CERTS_DIR, openRegistrySession } from '../../registry/index.js';
import { hasPending, matchesPattern, runRetag, runSucceeded, type ImageResult, type RetagTarget } from '../../retag/index.js';
import type { CommandContext } from '../context.js';
import { credentialsFor } from '../credential-options.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { createLogger } from '../logger.js';
import { renderProblemsText, renderValidationJson, renderValidationMarkdown, renderRunJson, renderRunMarkdown, renderRunText, type OutputFormat } from '../render.js';
import type { ApplyFlags } from './apply-definition.js';
import { checkApplyFlags, checkSelection } from './apply-preflight.js';

export interface ApplyInput {
  files: string[];
  flags: ApplyFlags;
  context: CommandContext;
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

/** A progress line on stderr for long runs on a terminal; nothing otherwise. */
const PROGRESS_MIN_IMAGES = 20;
const CLEAR_LINE = '\r\x1b[2K';

/**
 * RETAG_TOKEN_SCOPES_PER_REQUEST: repositories per token request (default 25, 1 = a token request
 * per repository). A tuning knob for realms that limit scopes, and how the benchmark compares both.
 */
function scopesPerTokenRequest(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.RETAG_TOKEN_SCOPES_PER_REQUEST);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

function render(format: OutputFormat, run: Parameters<typeof renderRunText>[0], colour: boolean): string {
  if (format === 'json') return renderRunJson(run);
  if (format === 'markdown') return renderRunMarkdown(run);
  return renderRunText(run, { colour });
}

export async function applyCommand({ files, flags, context }: ApplyInput): Promise<number> {
  const { env, io } = context;
  const checked = await checkApplyFlags(files, flags, context);
  const loaded = await loadTagFiles(files, { cwd: context.cwd });
  if (loaded.problems.length > 0) {
    io.stderr.write(renderProblemsText(loaded.problems));
    // A job that reads the report (`> result.json`, `>> $GITHUB_STEP_SUMMARY`) gets the problems too.
    if (flags.output === 'json') io.stdout.write(renderValidationJson(loaded));
    if (flags.output === 'markdown') io.stdout.write(renderValidationMarkdown(loaded));
    return EXIT_USAGE;
  }
  const targets = checkSelection(loaded.entries, files, flags, checked);
  const credentials = await credentialsFor(targets, {
    username: flags.username,
    password: checked.password,
    registry: flags.registry,
    authFile: flags.authfile,
    cwd: context.cwd,
    env,
  });
  const progress = io.stderr.isTTY === true && targets.length > PROGRESS_MIN_IMAGES;
  const logFormat = flags.logFormat ?? (context.logDestination === undefined && io.stderr.isTTY ? 'pretty' : 'json');
  // With a progress line on the terminal, each log line first clears it (the next result redraws it).
  const logDestination = context.logDestination ?? (progress ? { write: (line: string) => io.stderr.write(`${CLEAR_LINE}${line}`) } : undefined);
  const logger = createLogger(flags.logLevel, logDestination, logFormat);
  if (flags.tlsVerify === false) {
    io.stderr.write('retag: warning: --tls-verify=false: TLS certificates of every registry in this run are not checked; use it for test registries only\n');
  }
  const session = openRegistrySession({
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
    scopesPerTokenRequest: credentials.perRepository ? 1 : scopesPerTokenRequest(env),
  });
  let done = 0;
  const { dryRun, repush } = checked;
  logger.info(
    // startupMs: since the process started (node, modules, tag files), for the benchmark
    { images: targets.length, dryRun, concurrency: flags.concurrency, startupMs: Math.round(performance.now()) },
    'retag run starting',
  );
  try {
    const run = await runRetag(targets, session.client, {
      dryRun,
      concurrency: flags.concurrency,
      signal: context.signal,
      requestSignal: context.abortSignal,
      repush: (target: RetagTarget) => repush.some((pattern) => matchesPattern(target.name, pattern)),
      onResult: (result: ImageResult) => {
        logger.info({ image: `${result.target.name}:${result.target.tag}`, status: result.status }, 'image done');
        done += 1;
        if (progress) io.stderr.write(`${CLEAR_LINE}retag: ${done}/${targets.length} images`);
      },
    });
    if (progress) io.stderr.write(CLEAR_LINE);
    logger.info(
      {
        requests: session.transport.stats.requests,
        byMethod: session.transport.stats.byMethod,
        tokenFetches: session.authenticator.tokenFetches,
        maxRssKiB: process.resourceUsage().maxRSS, // peak memory, for the benchmark
      },
      'retag run finished',
    );
    const colour = io.stdout.isTTY === true && !env.NO_COLOR;
    io.stdout.write(render(flags.output, run, colour));
    if (!runSucceeded(run)) return EXIT_IMAGES_FAILED;
    if (flags.failOnPending && hasPending(run)) {
      io.stderr.write(`retag: ${run.summary.pending} tag${run.summary.pending === 1 ? ' is' : 's are'} still pending (--fail-on-pending)\n`);
      return EXIT_IMAGES_FAILED;
    }
    return EXIT_OK;
  } finally {
    await session.close();
  }
}
