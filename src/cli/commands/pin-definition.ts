// `retag pin`: its options, declared once; the registry flags are apply's.
import { logFormatOption, logLevelOption, registryOptions } from '../common-options.js';
import { PIN_EXAMPLES } from '../help-text.js';
import { addOptions, choice, flag, integer, type FlagsOf } from '../options.js';
import type { CommandDefinition } from './definition.js';

export const PIN_OPTIONS = {
  update: flag('--update', 'also rewrite src_digest lines that no longer match their src_build_tag, and list them'),
  check: flag('--check', 'write nothing; exit 1 if any entry lacks src_digest or holds a stale one (a review gate)'),
  concurrency: integer('--concurrency <n>', 'sources resolved at once', 64, 8),
  output: choice('-o, --output <format>', 'report format', ['text', 'json'] as const, 'text'),
  logLevel: logLevelOption(),
  logFormat: logFormatOption(),
  ...registryOptions(),
};
export type PinFlags = FlagsOf<typeof PIN_OPTIONS>;

export const pinDefinition: CommandDefinition = {
  register(program, context, done) {
    const command = program
      .command('pin')
      .description("write each entry's src_digest: the manifest digest its src_build_tag points at now (HEAD requests only)")
      .argument('<file...>', 'tag files to edit in place (only src_digest lines are added or changed)');
    addOptions(command, PIN_OPTIONS)
      .addHelpText('after', PIN_EXAMPLES)
      .action(async (files: string[], flags: PinFlags) => {
        const { pinCommand } = await import('./pin.js');
        done(await pinCommand({ files, flags, context }));
      });
  },
};
