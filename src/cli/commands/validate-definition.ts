import { outputOption, requireDigestOption } from '../common-options.js';
import { VALIDATE_EXAMPLES } from '../help-text.js';
import { addOptions, type FlagsOf } from '../options.js';
import type { CommandDefinition } from './definition.js';

export const VALIDATE_OPTIONS = {
  output: outputOption(),
  requireDigest: requireDigestOption(),
};
export type ValidateFlags = FlagsOf<typeof VALIDATE_OPTIONS>;

export const validateDefinition: CommandDefinition = {
  register(program, context, done) {
    const command = program
      .command('validate')
      .description('check tag files (schema, tag grammar, duplicates and cross-file conflicts); contacts no registry')
      .argument('<file...>', 'tag files (YAML, one or more documents each)');
    addOptions(command, VALIDATE_OPTIONS)
      .addHelpText('after', VALIDATE_EXAMPLES)
      .action(async (files: string[], flags: ValidateFlags) => {
        const { validateCommand } = await import('./validate.js');
        done(await validateCommand({ files, flags, context }));
      });
  },
};
