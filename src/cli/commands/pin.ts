// `retag pin [--update|--check] FILE...`: resolve every entry's src_build_tag by HEAD and write
// its digest as src_digest, so that apply copies exactly what was reviewed (issue 10).

import type { ImageEntry } from '../../config/index.js';
import { RegistryError, type RegistrySession } from '../../registry/index.js';
import { pinFiles, type PinMode, type SourceAnswer } from '../../pin/pin-files.js';
import { refuseEmptyFileNames } from '../argv-guards.js';
import type { CommandContext } from '../context.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../exit-codes.js';
import { resolveLogFormat } from '../log-format.js';
import { createLogger } from '../logger.js';
import { checkRegistryFlags, cliCredentials, openCliSession } from '../registry-session.js';
import { renderProblemsText } from '../render.js';
import { countPins, renderPinJson, renderPinText } from '../render-pin.js';
import type { PinFlags } from './pin-definition.js';

export interface PinInput {
  files: string[];
  flags: PinFlags;
  context: CommandContext;
}

function modeOf(flags: PinFlags): PinMode {
  if (flags.check && flags.update) throw new UsageError('--check writes nothing and --update rewrites digests: give one of them');
  return flags.check ? 'check' : flags.update ? 'update' : 'add';
}

export async function pinCommand({ files, flags, context }: PinInput): Promise<number> {
  const { io } = context;
  refuseEmptyFileNames(files);
  const mode = modeOf(flags);
  const checked = await checkRegistryFlags(flags, context, 'pin');
  const logger = createLogger({
    level: flags.logLevel,
    format: resolveLogFormat(flags.logFormat, context.env),
    colour: io.stderr.isTTY === true && !context.env.NO_COLOR,
    destination: context.logDestination,
  });
  let session: RegistrySession | undefined;
  try {
    const ref = (entry: ImageEntry) => ({ registry: entry.registry, repository: entry.repository });
    const result = await pinFiles(files, {
      mode,
      cwd: context.cwd,
      concurrency: flags.concurrency,
      resolver: async (sources) => {
        const credentials = await cliCredentials(sources, flags, checked, context);
        const open = openCliSession(flags, checked, context, credentials, logger);
        session = open;
        open.client.plan(sources.map(ref), 'pull');
        // HEAD only: resolving a digest costs no Docker Hub pull.
        return async (entry): Promise<SourceAnswer> => {
          try {
            const head = await open.client.headManifest(ref(entry), entry.source, 'pull', context.abortSignal);
            return head.found ? { found: true, digest: head.digest } : { found: false };
          } catch (error) {
            if (error instanceof RegistryError) return { found: 'error', error: error.message };
            throw error;
          }
        };
      },
    });
    if (result.invalid.length > 0) {
      io.stderr.write(renderProblemsText(result.invalid));
      return EXIT_USAGE;
    }
    io.stdout.write(flags.output === 'json' ? renderPinJson(result, mode) : renderPinText(result, mode));
    const counts = countPins(result);
    if (counts.failed + counts['missing-source'] + counts.stale + counts.unpinned > 0) return EXIT_IMAGES_FAILED;
    // An entry whose layout cannot be edited: a tag-file matter, the person edits it by hand.
    if (result.files.some((file) => file.problems.length > 0)) return EXIT_USAGE;
    return EXIT_OK;
  } finally {
    await session?.close();
  }
}
