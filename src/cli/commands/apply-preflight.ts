// Every check `retag apply` makes before it contacts a registry, in one place. Each throws a
// UsageError (exit 2, nothing sent): a mistake in how retag was called is reported before any
// request, so a CI job that passes a wrong flag never half-applies a tag file.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { TagEntry } from '../../config/index.js';
import { proxyProblem, type Secret } from '../../registry/index.js';
import { selectTargets, splitNames } from '../../retag/index.js';
import { refuseEmptyFileNames } from '../argv-guards.js';
import { logFormatNamed, type LogFormat } from '../choices.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { readPasswordFromStdin } from '../password-stdin.js';
import type { ApplyFlags } from './apply-definition.js';

/** What the flags mean once checked; everything else is read from the flags as given. */
export interface CheckedApply {
  dryRun: boolean;
  repush: string[];
  password?: Secret;
  /** --ca-file's PEM text */
  extraCa: string[];
  /** --log-format, else $RETAG_LOG_FORMAT, else human */
  logFormat: LogFormat;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$/;

/** The checks on argv, the environment and the files flags name; reads --password-stdin last. */
export async function checkApplyFlags(files: string[], flags: ApplyFlags, context: CommandContext): Promise<CheckedApply> {
  if ((flags.username === undefined) !== (flags.passwordStdin === undefined)) {
    throw new UsageError('--username and --password-stdin go together: pipe the password in, e.g. `echo "$PW" | retag apply --username me --password-stdin FILE`');
  }
  if (flags.registry !== undefined && flags.username === undefined) {
    throw new UsageError('--registry names the registry --username/--password-stdin are for; give them too, or use --authfile for several registries');
  }
  if (flags.registry !== undefined && !HOST_PORT.test(flags.registry)) {
    throw new UsageError(`--registry takes HOST or HOST:PORT as in image names (registry.lab:5000, docker.io), not "${flags.registry.slice(0, 100)}"`);
  }
  if (flags.authfile !== undefined && flags.authfile.trim() === '') throw new UsageError('--authfile was given an empty file name (an unset variable?)');
  refuseEmptyFileNames(files);
  const notHost = (flags.insecureRegistry ?? []).find((value) => !HOST_PORT.test(value));
  if (notHost !== undefined) {
    throw new UsageError(`--insecure-registry takes HOST or HOST:PORT as in image names (registry.lab:5000), not "${notHost.slice(0, 100)}"`);
  }
  const repush = splitNames(flags.repush ?? []);
  if (flags.repush !== undefined && repush.length < flags.repush.length) {
    throw new UsageError('--repush was given without an image name; give --repush NAME[,NAME...]');
  }
  if (files.includes('-') && flags.passwordStdin) {
    throw new UsageError('the tag file - and --password-stdin both read standard input; give the tag file by path');
  }
  const logFormat = flags.logFormat ?? logFormatFromEnv(context.env);
  const badProxy = proxyProblem(context.env);
  if (badProxy) throw new UsageError(badProxy);
  const extraCa = flags.caFile === undefined ? [] : [await readCaFile(flags.caFile, context.cwd)];
  const password = flags.passwordStdin ? await readPasswordFromStdin(context.stdin) : undefined;
  return { dryRun: flags.dryRun === true || flags.dryrun === true, repush, password, extraCa, logFormat };
}

function logFormatFromEnv(env: NodeJS.ProcessEnv): LogFormat {
  const value = env.RETAG_LOG_FORMAT;
  if (value === undefined || value === '') return 'human';
  const format = logFormatNamed(value);
  if (format === undefined) throw new UsageError(`RETAG_LOG_FORMAT is "${value.slice(0, 40)}"; set it to human or json, or unset it`);
  return format;
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
