// Tag-file problems and validate's report. Problems always go to stderr, in every format; the
// JSON and markdown documents on stdout carry them too, for a job that reads only the report.
import type { ConfigProblem, LoadedTagFiles } from '../config/index.js';
import { countProblems, formatProblem } from '../config/index.js';
import { cell, code } from './markdown.js';

function problemCount(problems: ConfigProblem[]): string {
  const count = countProblems(problems);
  return `${count} problem${count === '1' ? '' : 's'}`;
}

export function renderProblemsText(problems: ConfigProblem[]): string {
  const files = new Set(problems.map((p) => p.file)).size;
  const lines = problems.map((p) => `retag: ${formatProblem(p)}`);
  lines.push(`${problemCount(problems)} in ${files} file${files === 1 ? '' : 's'}; fix them and run again (nothing was sent to any registry)`);
  return `${lines.join('\n')}\n`;
}

/** The problems as a table and a closing line, under whatever title the report has. */
export function renderProblemsMarkdown(problems: ConfigProblem[]): string[] {
  return ['| problem |', '| --- |', ...problems.map((p) => `| ${cell(formatProblem(p))} |`), '', `**${problemCount(problems)}: fix them and run again**`];
}

export function renderValidationText(loaded: LoadedTagFiles): string {
  const lines = loaded.files.map((f) => `ok  ${f.file}  ${f.entries} image${f.entries === 1 ? '' : 's'}`);
  lines.push(`${loaded.files.length} file${loaded.files.length === 1 ? '' : 's'} valid, ${loaded.entries.length} distinct image tag${loaded.entries.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

export function renderValidationMarkdown(loaded: LoadedTagFiles): string {
  const lines = ['### retag validate', '', '| file | images |', '| --- | --- |'];
  for (const f of loaded.files) lines.push(`| ${code(f.file)} | ${f.entries} |`);
  if (loaded.problems.length > 0) {
    lines.push('', ...renderProblemsMarkdown(loaded.problems));
  } else {
    lines.push('', `**${loaded.files.length} file${loaded.files.length === 1 ? '' : 's'} valid, ${loaded.entries.length} distinct image tag${loaded.entries.length === 1 ? '' : 's'}**`);
  }
  return `${lines.join('\n')}\n`;
}
