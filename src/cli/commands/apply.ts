// `retag apply [--dry-run] FILE...`: validate every file first (exit 2 and no request when any
// is invalid), then retag every image against its registry and report each one.

import { loadTagFiles, type LoadedTagFiles } from '../../config/index.js';
import { hasPending, matchesPattern, runRetag, runSucceeded, type ImageResult, type RetagTarget, type RunResult } from '../../retag/index.js';
import type { RegistrySession } from '../../registry/index.js';
import type { CommandContext } from '../context.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CommandIo } from '../io.js';
import { createLogger } from '../logger.js';
import { ProgressReporter } from '../progress.js';
import { cliCredentials, openCliSession } from '../registry-session.js';
import { renderApplyProblemsJson, renderProblemsMarkdown, renderProblemsText, renderRunJson, renderRunMarkdown, renderRunText, runTitle } from '../render.js';
import { readStdinBytes } from '../stdin.js';
import type { ApplyFlags } from './apply-definition.js';
import { checkApplyFlags, checkSelection } from './apply-preflight.js';
import { checkPushGrants, verdictFor, type GrantVerdict } from './push-grants.js';

export interface ApplyInput {
  files: string[];
  flags: ApplyFlags;
  context: CommandContext;
}

/** TEST-ONLY: RETAG_HEARTBEAT_MS shortens the heartbeat's interval (progress.ts) so a test sees it. */
function heartbeatMs(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.RETAG_HEARTBEAT_MS);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** Where the memory is at the end of the run (KiB), beside the peak: for the benchmark (docs/performance.md). */
function memoryAtEnd(): Record<string, number> {
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const kib = (bytes: number) => Math.round(bytes / 1024);
  return { rssKiB: kib(rss), heapTotalKiB: kib(heapTotal), heapUsedKiB: kib(heapUsed), externalKiB: kib(external), arrayBuffersKiB: kib(arrayBuffers) };
}

/** The push grants of every repository of the run (a dry-run's too), each refusal said once on stderr. */
async function grantsBeforeRun(
  session: RegistrySession,
  targets: RetagTarget[],
  { dryRun, concurrency }: { dryRun: boolean; concurrency: number },
  context: CommandContext,
): Promise<Map<string, GrantVerdict>> {
  session.client.plan(targets, 'pull,push');
  const grants = await checkPushGrants(session, targets, { dryRun, concurrency, signal: context.abortSignal });
  for (const verdict of grants.values()) if (verdict.announce) context.io.stderr.write(`retag: ${verdict.message}\n`);
  return grants;
}

function render(run: RunResult, flags: ApplyFlags, colour: boolean): string {
  const changesOnly = flags.changes === true;
  if (flags.output === 'json') return renderRunJson(run);
  if (flags.output === 'markdown') return renderRunMarkdown(run, { changesOnly });
  return renderRunText(run, { colour, changesOnly });
}

/** Invalid tag files: the problems on stderr, and apply's report with them for a job that reads it. */
function reportProblems(loaded: LoadedTagFiles, flags: ApplyFlags, dryRun: boolean, io: CommandIo): number {
  io.stderr.write(renderProblemsText(loaded.problems));
  if (flags.output === 'json') io.stdout.write(renderApplyProblemsJson(loaded, dryRun));
  if (flags.output === 'markdown') io.stdout.write(`${[runTitle(dryRun), '', ...renderProblemsMarkdown(loaded.problems)].join('\n')}\n`);
  return EXIT_USAGE;
}

export async function applyCommand({ files, flags, context }: ApplyInput): Promise<number> {
  const { env, io } = context;
  const checked = await checkApplyFlags(files, flags, context);
  const { dryRun, repush } = checked;
  const loaded = await loadTagFiles(files, { cwd: context.cwd, requireDigest: flags.requireDigest === true, stdin: () => readStdinBytes(context.stdin) });
  if (loaded.problems.length > 0) return reportProblems(loaded, flags, dryRun, io);
  const targets = checkSelection(loaded.entries, files, flags, checked);
  const credentials = await cliCredentials(targets, flags, checked, context);
  const progress = new ProgressReporter(io.stderr, targets.length, heartbeatMs(env));
  const logger = createLogger({
    level: flags.logLevel,
    format: checked.logFormat,
    colour: io.stderr.isTTY === true && !env.NO_COLOR,
    destination: context.logDestination ?? progress.logDestination(),
  });
  // a dry-run asks for push too, to warn when apply could not push; a realm that refuses that outright is asked for pull alone
  const session = openCliSession(flags, checked, context, credentials, logger, { pushOptional: dryRun });
  logger.info(
    // startupMs: since the process started (node, modules, tag files), for the benchmark
    { images: targets.length, dryRun, concurrency: flags.concurrency, startupMs: Math.round(performance.now()) },
    'retag run starting',
  );
  progress.start(logger);
  try {
    const grants = await grantsBeforeRun(session, targets, { dryRun, concurrency: flags.concurrency }, context);
    const run = await runRetag(targets, session.client, {
      pushDenied: (target: RetagTarget) => verdictFor(grants, target),
      dryRun,
      concurrency: flags.concurrency,
      signal: context.signal,
      requestSignal: context.abortSignal,
      repush: (target: RetagTarget) => repush.some((pattern) => matchesPattern(target.name, pattern)),
      onResult: (result: ImageResult) => {
        logger.info({ image: `${result.target.name}:${result.target.tag}`, status: result.status }, 'image done');
        progress.finished(result);
      },
    });
    progress.stop();
    logger.info(
      {
        ...session.stats(),
        maxRssKiB: process.resourceUsage().maxRSS, // peak memory, for the benchmark
        ...memoryAtEnd(),
      },
      'retag run finished',
    );
    const colour = io.stdout.isTTY === true && !env.NO_COLOR;
    io.stdout.write(render(run, flags, colour));
    if (!runSucceeded(run)) return EXIT_IMAGES_FAILED;
    if (flags.failOnPending && hasPending(run)) {
      io.stderr.write(`retag: ${run.summary.pending} tag${run.summary.pending === 1 ? ' is' : 's are'} still pending (--fail-on-pending)\n`);
      return EXIT_IMAGES_FAILED;
    }
    return EXIT_OK;
  } finally {
    progress.stop();
    await session.close();
  }
}
