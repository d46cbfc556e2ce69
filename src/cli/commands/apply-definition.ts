// `retag apply`: its options, declared once. The action hands the typed flags to applyCommand,
// whose pre-flight (apply-preflight.ts) checks them.
import { logFormatOption, logLevelOption, outputOption, registryOptions, requireDigestOption } from '../common-options.js';
import { APPLY_EXAMPLES } from '../help-text.js';
import { addOptions, flag, integer, repeatable, type FlagsOf } from '../options.js';
import type { CommandDefinition } from './definition.js';

export const APPLY_OPTIONS = {
  dryRun: flag('-n, --dry-run', 'report what would be created; HEAD requests only, nothing written'),
  dryrun: flag('--dryrun', 'the same as --dry-run (retag-images.sh spelling)'),
  only: repeatable(
    '--only <pattern>',
    'only images whose name matches: as written, without the registry host, or its last path component; * = any characters, / included (repeatable)',
  ),
  repush: repeatable(
    '--repush <name[,name...]>',
    "move these images' existing tags to their src_build_tag digest (status updated); same matching as --only (repeatable)",
  ),
  changes: flag('--changes', 'text and markdown: list only tags that change or need attention; tags that already exist are counted, not listed'),
  requireDigest: requireDigestOption(),
  failOnPending: flag('--fail-on-pending', 'exit 1 when any tag is still pending (a dry-run in CI that must find nothing to do)'),
  concurrency: integer('--concurrency <n>', 'images processed at once', 64, 8),
  output: outputOption(),
  logLevel: logLevelOption(),
  logFormat: logFormatOption(),
  ...registryOptions(),
};
export type ApplyFlags = FlagsOf<typeof APPLY_OPTIONS>;

export const applyDefinition: CommandDefinition = {
  register(program, context, done) {
    const command = program
      .command('apply')
      .description('create every missing tag from its src_build_tag; --dry-run previews without writing')
      .argument('<file...>', 'tag files (YAML, one or more documents each)');
    addOptions(command, APPLY_OPTIONS)
      .addHelpText('after', APPLY_EXAMPLES)
      .action(async (files: string[], flags: ApplyFlags) => {
        const { applyCommand } = await import('./apply.js');
        done(await applyCommand({ files, flags, context }));
      });
  },
};
