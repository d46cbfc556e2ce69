// `retag apply [--dry-run] FILE...`: validate every file first (exit 2 and no request when any
// is invalid), then retag every image against its registry and report each one.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadTagFiles } from '../../config/index.js';
import {
  DEFAULT_CERTS_DIR,
  chainStores,
  defaultCredentialStore,
  explicitStore,
  openRegistrySession,
  proxyProblem,
  type CredentialStore,
  type Secret,
} from '../../registry/index.js';
import { hasPending, matchesPattern, runRetag, runSucceeded, selectTargets, type ImageResult, type RetagTarget } from '../../retag/index.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CommandIo } from '../io.js';
import { createLogger, type LogFormat, type LogLevel } from '../logger.js';
import { renderProblemsText, renderValidationJson, renderValidationMarkdown, renderRunJson, renderRunMarkdown, renderRunText, type OutputFormat } from '../render.js';

export interface ApplyOptions {
  files: string[];
  dryRun: boolean;
  concurrency: number;
  output: OutputFormat;
  logLevel: LogLevel;
  /** json lines, or one human line per entry; default: pretty when stderr is a TTY */
  logFormat?: LogFormat;
  insecureRegistries: string[];
  requestTimeoutMs?: number;
  username?: string;
  password?: Secret;
  /** --only: wildcard patterns or last path components; none means every image */
  only?: string[];
  /** --repush: images (same matching as --only) whose existing tag is moved to the source's digest */
  repush?: string[];
  /** --fail-on-pending: exit 1 when any tag is still pending (a dry-run in CI) */
  failOnPending?: boolean;
  /** --ca-file: a PEM file trusted for every registry */
  caFile?: string;
  /** --tls-verify=false: no certificate checks for any registry (a warning on stderr says so) */
  tlsVerify?: boolean;
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

/** A progress line on stderr for long runs on a terminal; nothing otherwise. */
const PROGRESS_MIN_IMAGES = 20;
const CLEAR_LINE = '\r\x1b[2K';

function credentialStore(options: ApplyOptions, env: NodeJS.ProcessEnv): CredentialStore {
  const fromConfig = defaultCredentialStore(env);
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

function render(format: OutputFormat, run: Parameters<typeof renderRunText>[0], colour: boolean): string {
  if (format === 'json') return renderRunJson(run);
  if (format === 'markdown') return renderRunMarkdown(run);
  return renderRunText(run, { colour });
}

export async function applyCommand(options: ApplyOptions): Promise<number> {
  const env = options.env ?? process.env;
  const loaded = await loadTagFiles(options.files, { cwd: options.cwd });
  if (loaded.problems.length > 0) {
    options.io.stderr.write(renderProblemsText(loaded.problems));
    // A job that reads the report (`> result.json`, `>> $GITHUB_STEP_SUMMARY`) gets the problems too.
    if (options.output === 'json') options.io.stdout.write(renderValidationJson(loaded));
    if (options.output === 'markdown') options.io.stdout.write(renderValidationMarkdown(loaded));
    return EXIT_USAGE;
  }
  const only = selectTargets(loaded.entries, options.only ?? []);
  const repushPatterns = options.repush ?? [];
  // --repush names images of this run: one outside --only would silently do nothing.
  const repushUnmatched = selectTargets(only.selected, repushPatterns).unmatched;
  const unmatched = [...only.unmatched.map((p) => `--only ${p}`), ...repushUnmatched.map((p) => `--repush ${p}`)];
  if (unmatched.length > 0) {
    const scope = repushUnmatched.length > 0 && (options.only ?? []).length > 0 ? ' (--repush names images among those --only selects)' : '';
    options.io.stderr.write(
      `retag: ${unmatched.join(', ')} matched no image in ${options.files.join(', ')}${scope}; ` +
        'give a name as written in the tag file (`*` matches any characters) or its last path component\n',
    );
    return EXIT_USAGE;
  }
  const badProxy = proxyProblem(env);
  if (badProxy) {
    options.io.stderr.write(`retag: ${badProxy}\n`);
    return EXIT_USAGE;
  }
  let extraCa: string[] = [];
  if (options.caFile !== undefined) {
    try {
      extraCa = [await readFile(resolve(options.cwd ?? process.cwd(), options.caFile), 'utf8')];
      // Node takes any text as a CA without complaint; a wrong file would surface as TLS errors on every image.
      if (!extraCa[0]!.includes('-----BEGIN CERTIFICATE-----')) {
        options.io.stderr.write(`retag: --ca-file ${options.caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----); give a PEM file of CA certificates\n`);
        return EXIT_USAGE;
      }
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      options.io.stderr.write(`retag: --ca-file ${options.caFile} cannot be read (${reason}); give a PEM file of CA certificates\n`);
      return EXIT_USAGE;
    }
  }
  if (options.tlsVerify === false) {
    options.io.stderr.write('retag: warning: --tls-verify=false: TLS certificates of every registry in this run are not checked; use it for test registries only\n');
  }
  const targets = only.selected;
  const progress = options.io.stderr.isTTY === true && targets.length > PROGRESS_MIN_IMAGES;
  const logFormat = options.logFormat ?? (options.logDestination === undefined && options.io.stderr.isTTY ? 'pretty' : 'json');
  // With a progress line on the terminal, each log line first clears it (the next result redraws it).
  const logDestination =
    options.logDestination ?? (progress ? { write: (line: string) => options.io.stderr.write(`${CLEAR_LINE}${line}`) } : undefined);
  const logger = createLogger(options.logLevel, logDestination, logFormat);
  const session = openRegistrySession({
    credentials: credentialStore(options, env),
    insecureRegistries: options.insecureRegistries,
    concurrency: options.concurrency,
    requestTimeoutMs: options.requestTimeoutMs,
    logger,
    env,
    extraCa,
    tlsVerify: options.tlsVerify,
    certsDir: env.RETAG_CERTS_D || DEFAULT_CERTS_DIR,
    retry: retryOverrides(env),
    scopesPerTokenRequest: scopesPerTokenRequest(env),
  });
  let done = 0;
  logger.info(
    // startupMs: since the process started (node, modules, tag files), for the benchmark
    { images: targets.length, dryRun: options.dryRun, concurrency: options.concurrency, startupMs: Math.round(performance.now()) },
    'retag run starting',
  );
  try {
    const run = await runRetag(targets, session.client, {
      dryRun: options.dryRun,
      concurrency: options.concurrency,
      signal: options.signal,
      requestSignal: options.abortSignal,
      repush: (target: RetagTarget) => repushPatterns.some((pattern) => matchesPattern(target.name, pattern)),
      onResult: (result: ImageResult) => {
        logger.info({ image: `${result.target.name}:${result.target.tag}`, status: result.status }, 'image done');
        done += 1;
        if (progress) options.io.stderr.write(`${CLEAR_LINE}retag: ${done}/${targets.length} images`);
      },
    });
    if (progress) options.io.stderr.write(CLEAR_LINE);
    logger.info(
      {
        requests: session.transport.stats.requests,
        byMethod: session.transport.stats.byMethod,
        tokenFetches: session.authenticator.tokenFetches,
        maxRssKiB: process.resourceUsage().maxRSS, // peak memory, for the benchmark
      },
      'retag run finished',
    );
    const colour = options.io.stdout.isTTY === true && !env.NO_COLOR;
    options.io.stdout.write(render(options.output, run, colour));
    if (!runSucceeded(run)) return EXIT_IMAGES_FAILED;
    if (options.failOnPending && hasPending(run)) {
      options.io.stderr.write(`retag: ${run.summary.pending} tag${run.summary.pending === 1 ? ' is' : 's are'} still pending (--fail-on-pending)\n`);
      return EXIT_IMAGES_FAILED;
    }
    return EXIT_OK;
  } finally {
    await session.close();
  }
}
