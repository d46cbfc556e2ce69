// Every check `retag apply` makes before it contacts a registry, in one place. Each throws a
// UsageError (exit 2, nothing sent): a mistake in how retag was called is reported before any
// request, so a CI job that passes a wrong flag never half-applies a tag file.

import type { TagEntry } from '../../config/index.js';
import { selectTargets, splitNames } from '../../retag/index.js';
import { refuseEmptyFileNames } from '../argv-guards.js';
import type { LogFormat } from '../choices.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { resolveLogFormat } from '../log-format.js';
import { checkRegistryFlags, type CheckedRegistryFlags } from '../registry-session.js';
import type { ApplyFlags } from './apply-definition.js';

/** What the flags mean once checked; everything else is read from the flags as given. */
export interface CheckedApply extends CheckedRegistryFlags {
  dryRun: boolean;
  repush: string[];
  /** --log-format, else $RETAG_LOG_FORMAT, else human */
  logFormat: LogFormat;
}

/** The checks on argv, the environment and the files flags name; reads --password-stdin last. */
export async function checkApplyFlags(files: string[], flags: ApplyFlags, context: CommandContext): Promise<CheckedApply> {
  refuseEmptyFileNames(files);
  const repush = splitNames(flags.repush ?? []);
  if (flags.repush !== undefined && repush.length < flags.repush.length) {
    throw new UsageError('--repush was given without an image name; give --repush NAME[,NAME...]');
  }
  if (files.includes('-') && flags.passwordStdin) {
    throw new UsageError('the tag file - and --password-stdin both read standard input; give the tag file by path');
  }
  const logFormat = resolveLogFormat(flags.logFormat, context.env);
  const registry = await checkRegistryFlags(flags, context, 'apply');
  return { dryRun: flags.dryRun === true || flags.dryrun === true, repush, logFormat, ...registry };
}

/**
 * The images the run touches (--only), checked once the tag files are loaded: a pattern that
 * matches nothing is a typo, and a --repush name outside --only would silently move nothing.
 */
export function checkSelection(entries: TagEntry[], files: string[], flags: ApplyFlags, checked: CheckedApply): TagEntry[] {
  const only = selectTargets(entries, flags.only ?? []);
  const repushUnmatched = selectTargets(only.selected, checked.repush).unmatched;
  const unmatched = [...only.unmatched.map((p) => `--only ${p}`), ...repushUnmatched.map((p) => `--repush ${p}`)];
  if (unmatched.length > 0) {
    const scope = repushUnmatched.length > 0 && (flags.only ?? []).length > 0 ? ' (--repush names images among those --only selects)' : '';
    throw new UsageError(
      `${unmatched.join(', ')} matched no image in ${files.join(', ')}${scope}; ` +
        'give the name as written in the tag file, without its registry host, or its last path component (`*` matches any characters)',
    );
  }
  return only.selected;
}
