// What every command gets besides its arguments and flags: where to write, where it runs, the
// environment, and the interrupt signals. Injected, so tests run commands in-process.
import type { CommandIo } from './io.js';

export interface CommandContext {
  io: CommandIo;
  /** relative tag-file paths resolve against this; default process.cwd() */
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** where `-` (a tag file) and --password-stdin are read from; default process.stdin */
  stdin?: NodeJS.ReadableStream;
  /** aborted on SIGINT/SIGTERM: no new image starts */
  signal?: AbortSignal;
  /** aborted a grace period later: requests still in flight are given up */
  abortSignal?: AbortSignal;
  /** for tests: where logs go instead of stderr */
  logDestination?: NodeJS.WritableStream;
}
