// The program: commander set up once, every command of commands/index.ts added to it, and every
// outcome of a run mapped to an exit code. Errors reach the user here and only here, all with
// one prefix, `retag:`.

import { Command, CommanderError } from 'commander';
import { hideOptionValues, refusePasswordArgument } from './argv-guards.js';
import { COMMANDS } from './commands/index.js';
import type { CommandContext } from './context.js';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './exit-codes.js';
import { PROGRAM_DESCRIPTION, PROGRAM_EXAMPLES } from './help-text.js';
import { processIo, type CommandIo } from './io.js';
import { packageVersion } from './version.js';

export interface MainDependencies {
  io?: CommandIo;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** for tests: a signal in place of the process's SIGINT/SIGTERM handling (no new image starts) */
  signal?: AbortSignal;
  /** aborts the requests still in flight (main() fires it a grace period after the signal) */
  abortSignal?: AbortSignal;
  /** for tests: where logs go instead of stderr */
  logDestination?: NodeJS.WritableStream;
  /** for tests: standard input */
  stdin?: NodeJS.ReadableStream;
}

/** Commander's own messages start with `error: `; retag's all start with `retag: `. */
function withRetagPrefix(message: string): string {
  return message.replace(/^error: /, 'retag: ');
}

export function buildProgram(context: CommandContext, done: (exitCode: number) => void): Command {
  const { io } = context;
  const program = new Command('retag')
    .description(PROGRAM_DESCRIPTION)
    .version(packageVersion(), '-V, --version', 'print the version of retag')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(withRetagPrefix(hideOptionValues(s))),
    })
    .addHelpText('after', PROGRAM_EXAMPLES);
  for (const command of COMMANDS) command.register(program, context, done);
  return program;
}

/** Runs the CLI and returns the exit code; main() is the process wrapper around it. */
export async function run(argv: string[], deps: MainDependencies = {}): Promise<number> {
  const io = deps.io ?? processIo;
  let exitCode = EXIT_OK;
  const context: CommandContext = {
    io,
    cwd: deps.cwd,
    env: deps.env ?? process.env,
    signal: deps.signal,
    abortSignal: deps.abortSignal,
    logDestination: deps.logDestination,
    stdin: deps.stdin,
  };
  const program = buildProgram(context, (code) => (exitCode = code));
  try {
    refusePasswordArgument(argv.slice(2));
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`retag: ${error.message}\n`);
      return EXIT_USAGE;
    }
    // A bug, not a user error: say so plainly, without a stack trace unless asked for.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`retag: unexpected error: ${message}\n`);
    if (context.env.RETAG_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_IMAGES_FAILED;
  }
}
