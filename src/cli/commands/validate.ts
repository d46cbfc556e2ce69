// `retag validate FILE...`: load, check and report; never touches a network.

import { loadTagFiles } from '../../config/index.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CommandIo } from '../io.js';
import { renderProblemsText, renderValidationJson, renderValidationText, type OutputFormat } from '../render.js';

export interface ValidateOptions {
  files: string[];
  output: OutputFormat;
  cwd?: string;
  io: CommandIo;
}

export async function validateCommand(options: ValidateOptions): Promise<number> {
  const loaded = await loadTagFiles(options.files, { cwd: options.cwd });
  if (options.output === 'json') {
    options.io.stdout.write(renderValidationJson(loaded));
  } else if (loaded.problems.length === 0) {
    options.io.stdout.write(renderValidationText(loaded));
  }
  if (loaded.problems.length > 0) {
    if (options.output !== 'json') options.io.stderr.write(renderProblemsText(loaded.problems));
    return EXIT_USAGE;
  }
  return EXIT_OK;
}
