import { Option } from 'commander';
import { outputOption } from '../common-options.js';
import { REFS_EXAMPLES } from '../help-text.js';
import { addOptions, custom, flag, repeatable, type FlagsOf } from '../options.js';
import type { CommandDefinition } from './definition.js';

export const REFS_OPTIONS = {
  tags: custom<string[]>(
    new Option('--tags <file>', 'a tag file (repeatable: a reference equal to the tag in any of them is pinned)')
      .makeOptionMandatory()
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
  ),
  fix: flag('--fix', "rewrite drift and floating references to the tag files' tag where it is unambiguous"),
  all: flag('--all', 'list pinned references too, and count references in comments for the exit code (and --fix)'),
  exclude: repeatable('--exclude <glob>', 'skip paths matching GLOB below each PATH (a pattern without / matches names at any depth; repeatable)'),
  output: outputOption(),
};
export type RefsFlags = FlagsOf<typeof REFS_OPTIONS>;

export const refsDefinition: CommandDefinition = {
  register(program, context, done) {
    const command = program
      .command('refs')
      .description("find and check (--fix: rewrite) references to the tag files' images in charts, manifests and playbooks; contacts no registry")
      .argument('<path...>', 'files or folders to scan (folders recursively; .git, node_modules, binary and large files skipped)');
    addOptions(command, REFS_OPTIONS)
      .addHelpText('after', REFS_EXAMPLES)
      .action(async (paths: string[], flags: RefsFlags) => {
        const { refsCommand } = await import('./refs.js');
        done(await refsCommand({ paths, flags, context }));
      });
  },
};
