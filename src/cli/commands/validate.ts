// `retag validate FILE...`: load, check and report; never touches a network.

import { loadTagFiles } from '../../config/index.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CommandIo } from '../io.js';
import { renderProblemsText, renderValidationJson, renderValidationMarkdown, renderValidationText, type OutputFormat } from '../render.js';

export interface ValidateOptions {
  files: string[];
  output: OutputFormat;
  cwd?: string;
  io: CommandIo;
}

export async function validateCommand(options: ValidateOptions): Promise<number> {
  const loaded = await loadTagFiles(options.files, { cwd: options.cwd });
  const failed = loaded.problems.length > 0;
  if (options.output === 'json') {
    options.io.stdout.write(renderValidationJson(loaded));
  } else if (options.output === 'markdown') {
    // problems go in the table too: the markdown is what a reviewer reads
    options.io.stdout.write(renderValidationMarkdown(loaded));
    if (failed) options.io.stderr.write(renderProblemsText(loaded.problems));
  } else if (!failed) {
    options.io.stdout.write(renderValidationText(loaded));
  } else {
    options.io.stderr.write(renderProblemsText(loaded.problems));
  }
  return failed ? EXIT_USAGE : EXIT_OK;
}
