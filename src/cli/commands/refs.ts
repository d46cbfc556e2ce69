// `retag refs --tags FILE... PATH...`: find, check and (--fix) rewrite the references to the
// images of the tag files in a tree of charts, manifests and playbooks. Contacts no registry.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadTagFiles } from '../../config/index.js';
import { readErrorMessage } from '../../config/load.js';
import { buildCatalog, scanTree, type RefsReport } from '../../refs/index.js';
import { refuseEmptyFileNames } from '../argv-guards.js';
import type { CommandContext } from '../context.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../exit-codes.js';
import { renderProblemsText } from '../render.js';
import { renderRefsJson, renderRefsMarkdown, renderRefsText } from '../render-refs.js';
import type { RefsFlags } from './refs-definition.js';

export interface RefsInput {
  paths: string[];
  flags: RefsFlags;
  context: CommandContext;
}

/** Drift and floating references fail the check; in comments only with --all. */
export function failingRefs(report: RefsReport, all: boolean): number {
  return report.refs.filter(
    (ref) => (ref.status === 'drift' || ref.status === 'floating') && (all || !ref.inComment) && ref.fix?.action !== 'changed',
  ).length;
}

export async function refsCommand({ paths, flags, context }: RefsInput): Promise<number> {
  refuseEmptyFileNames([...paths, ...flags.tags]);
  const { io } = context;
  const cwd = context.cwd ?? process.cwd();
  const all = flags.all === true;
  const fix = flags.fix === true;
  const loaded = await loadTagFiles(flags.tags, { cwd });
  if (loaded.problems.length > 0) {
    io.stderr.write(renderProblemsText(loaded.problems).replace('(nothing was sent to any registry)', '(nothing was scanned)'));
    return EXIT_USAGE;
  }
  const neverScan = new Set<string>();
  for (const file of flags.tags) {
    const info = await stat(resolve(cwd, file));
    neverScan.add(`${info.dev}:${info.ino}`);
  }
  const roots: { path: string; absolute: string }[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    try {
      await stat(absolute);
    } catch (error) {
      throw new UsageError(`${path}: ${readErrorMessage(error)}`);
    }
    roots.push({ path: path.length > 1 ? path.replace(/\/+$/, '') : path, absolute });
  }
  const report = await scanTree({ roots, catalog: buildCatalog(loaded.entries), exclude: flags.exclude ?? [], neverScan, fix, fixComments: all });
  const renderOptions = { all, fix };
  if (flags.output === 'json') io.stdout.write(renderRefsJson(report));
  else if (flags.output === 'markdown') io.stdout.write(renderRefsMarkdown(report, renderOptions));
  else io.stdout.write(renderRefsText(report, renderOptions));
  return failingRefs(report, all) > 0 ? EXIT_IMAGES_FAILED : EXIT_OK;
}
