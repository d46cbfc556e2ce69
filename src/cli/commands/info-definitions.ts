// Small commands that read nothing but retag itself: `retag version` (crane and regctl users type
// it) and `retag schema`.
import { packageVersion } from '../version.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandDefinition } from './definition.js';

export const versionDefinition: CommandDefinition = {
  register(program, context, done) {
    program
      .command('version')
      .description('print the version of retag (the same as --version)')
      .action(() => {
        context.io.stdout.write(`${packageVersion()}\n`);
        done(EXIT_OK);
      });
  },
};

export const SCHEMA_EXAMPLES = `
Examples:
  $ retag schema > tag-file.schema.json
  then, as the first line of a tag file beside it, for editors with the YAML language server:
  # yaml-language-server: $schema=./tag-file.schema.json`;

export const schemaDefinition: CommandDefinition = {
  register(program, context, done) {
    program
      .command('schema')
      .description('print the JSON Schema of a tag file, for editors and other tools')
      .addHelpText('after', SCHEMA_EXAMPLES)
      .action(async () => {
        const { schemaCommand } = await import('./schema.js');
        done(await schemaCommand({ context }));
      });
  },
};
