// How a command joins the program: it adds itself (arguments, options, help, action) and reports
// its exit code. A definition loads only commander and its option table; the command's own module
// (tag-file parser, HTTP stack, logger) is imported when the action runs, so `--help` stays light.
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export interface CommandDefinition {
  register(program: Command, context: CommandContext, done: (exitCode: number) => void): void;
}
