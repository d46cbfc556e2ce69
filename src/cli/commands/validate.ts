// `retag validate FILE...`: load, check and report; never touches a network.

import { loadTagFiles } from '../../config/index.js';
import { refuseEmptyFileNames } from '../argv-guards.js';
import type { CommandContext } from '../context.js';
import { readStdinBytes } from '../stdin.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { renderProblemsText, renderValidationJson, renderValidationMarkdown, renderValidationText } from '../render.js';
import type { ValidateFlags } from './validate-definition.js';

export interface ValidateInput {
  files: string[];
  flags: ValidateFlags;
  context: CommandContext;
}

export async function validateCommand({ files, flags, context }: ValidateInput): Promise<number> {
  refuseEmptyFileNames(files);
  const { io } = context;
  const loaded = await loadTagFiles(files, { cwd: context.cwd, requireDigest: flags.requireDigest === true, stdin: () => readStdinBytes(context.stdin) });
  const failed = loaded.problems.length > 0;
  // Problems go to stderr in every format; JSON and markdown carry them in the report too.
  if (failed) io.stderr.write(renderProblemsText(loaded.problems));
  if (flags.output === 'json') io.stdout.write(renderValidationJson(loaded));
  else if (flags.output === 'markdown') io.stdout.write(renderValidationMarkdown(loaded));
  else if (!failed) io.stdout.write(renderValidationText(loaded));
  return failed ? EXIT_USAGE : EXIT_OK;
}
