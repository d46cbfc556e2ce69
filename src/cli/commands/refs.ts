// `retag refs --tags FILE... PATH...`: find, check and (--fix) rewrite the references to the
// images of the tag files in a tree of charts, manifests and playbooks. Contacts no registry.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadTagFiles } from '../../config/index.js';
import { readErrorMessage } from '../../config/load.js';
import { buildCatalog, scanTree, type RefsReport } from '../../refs/index.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../exit-codes.js';
import type { CommandIo } from '../io.js';
import { renderProblemsText, type OutputFormat } from '../render.js';
import { renderRefsJson, renderRefsMarkdown, renderRefsText } from '../render-refs.js';

export interface RefsOptions {
  tags: string[];
  paths: string[];
  fix: boolean;
  all: boolean;
  exclude: string[];
  output: OutputFormat;
  cwd?: string;
  io: CommandIo;
}

/** Drift and floating references fail the check; in comments only with --all. */
export function failingRefs(report: RefsReport, all: boolean): number {
  return report.refs.filter(
    (ref) => (ref.status === 'drift' || ref.status === 'floating') && (all || !ref.inComment) && ref.fix?.action !== 'changed',
  ).length;
}

export async function refsCommand(options: RefsOptions): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadTagFiles(options.tags, { cwd });
  if (loaded.problems.length > 0) {
    options.io.stderr.write(renderProblemsText(loaded.problems).replace('(nothing was sent to any registry)', '(nothing was scanned)'));
    return EXIT_USAGE;
  }
  const neverScan = new Set<string>();
  for (const file of options.tags) {
    const info = await stat(resolve(cwd, file));
    neverScan.add(`${info.dev}:${info.ino}`);
  }
  const roots: { path: string; absolute: string }[] = [];
  for (const path of options.paths) {
    const absolute = resolve(cwd, path);
    try {
      await stat(absolute);
    } catch (error) {
      throw new UsageError(`${path}: ${readErrorMessage(error)}`);
    }
    roots.push({ path: path.length > 1 ? path.replace(/\/+$/, '') : path, absolute });
  }
  const report = await scanTree({ roots, catalog: buildCatalog(loaded.entries), exclude: options.exclude, neverScan, fix: options.fix, fixComments: options.all });
  const renderOptions = { all: options.all, fix: options.fix };
  if (options.output === 'json') options.io.stdout.write(renderRefsJson(report));
  else if (options.output === 'markdown') options.io.stdout.write(renderRefsMarkdown(report, renderOptions));
  else options.io.stdout.write(renderRefsText(report, renderOptions));
  return failingRefs(report, options.all) > 0 ? EXIT_IMAGES_FAILED : EXIT_OK;
}
