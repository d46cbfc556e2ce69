// `retag apply [--dry-run] FILE...`: validate every file first (exit 2 and no request when any
// is invalid), then retag every image against its registry and report each one.

import { loadTagFiles } from '../../config/index.js';
import { hasPending, matchesPattern, runRetag, runSucceeded, type ImageResult, type RetagTarget } from '../../retag/index.js';
import type { CommandContext } from '../context.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { createLogger } from '../logger.js';
import { cliCredentials, openCliSession } from '../registry-session.js';
import { renderProblemsText, renderValidationJson, renderValidationMarkdown, renderRunJson, renderRunMarkdown, renderRunText, type OutputFormat } from '../render.js';
import type { ApplyFlags } from './apply-definition.js';
import { checkApplyFlags, checkSelection } from './apply-preflight.js';

export interface ApplyInput {
  files: string[];
  flags: ApplyFlags;
  context: CommandContext;
}

/** A progress line on stderr for long runs on a terminal; nothing otherwise. */
const PROGRESS_MIN_IMAGES = 20;
const CLEAR_LINE = '\r\x1b[2K';

function render(format: OutputFormat, run: Parameters<typeof renderRunText>[0], colour: boolean): string {
  if (format === 'json') return renderRunJson(run);
  if (format === 'markdown') return renderRunMarkdown(run);
  return renderRunText(run, { colour });
}

export async function applyCommand({ files, flags, context }: ApplyInput): Promise<number> {
  const { env, io } = context;
  const checked = await checkApplyFlags(files, flags, context);
  const loaded = await loadTagFiles(files, { cwd: context.cwd, requireDigest: flags.requireDigest === true });
  if (loaded.problems.length > 0) {
    io.stderr.write(renderProblemsText(loaded.problems));
    // A job that reads the report (`> result.json`, `>> $GITHUB_STEP_SUMMARY`) gets the problems too.
    if (flags.output === 'json') io.stdout.write(renderValidationJson(loaded));
    if (flags.output === 'markdown') io.stdout.write(renderValidationMarkdown(loaded));
    return EXIT_USAGE;
  }
  const targets = checkSelection(loaded.entries, files, flags, checked);
  const credentials = await cliCredentials(targets, flags, checked, context);
  const progress = io.stderr.isTTY === true && targets.length > PROGRESS_MIN_IMAGES;
  const logFormat = flags.logFormat ?? (context.logDestination === undefined && io.stderr.isTTY ? 'pretty' : 'json');
  // With a progress line on the terminal, each log line first clears it (the next result redraws it).
  const logDestination = context.logDestination ?? (progress ? { write: (line: string) => io.stderr.write(`${CLEAR_LINE}${line}`) } : undefined);
  const logger = createLogger(flags.logLevel, logDestination, logFormat);
  const session = openCliSession(flags, checked, context, credentials, logger);
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
        ...session.stats(),
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
