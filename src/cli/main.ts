// The process around a run: signals, the grace period after an interrupt, output flushed before
// exit. The only place in retag that calls process.exit. The program itself is program.ts.

import { setMaxListeners } from 'node:events';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM } from './exit-codes.js';
import { tuneMemoryForRun } from './memory.js';
import { run } from './program.js';

export { run, type MainDependencies } from './program.js';

/** How long requests in flight may take to finish after SIGINT/SIGTERM before they are aborted. */
export const INTERRUPT_GRACE_MS = 5_000;
/** After the abort, how long the report may take before the process exits regardless. */
const INTERRUPT_HARD_STOP_MS = 5_000;

/**
 * The process entry (bin/retag.js). The first SIGINT/SIGTERM stops new images from starting and
 * lets requests in flight finish (a manifest PUT is atomic: a tag is written whole or not at
 * all); after INTERRUPT_GRACE_MS they are aborted. The run then reports what was done and exits
 * 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once.
 */
export function main(argv: string[]): void {
  tuneMemoryForRun(); // process-wide V8 settings, before the command's modules load (see memory.ts)
  const stop = new AbortController();
  const abort = new AbortController();
  // A reader that goes away (`retag apply --output json | head`) is not retag's failure: no crash.
  // Any other write error (a full disk under `> result.json`) is: the report is lost, exit 1.
  let outputLost = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || outputLost) return;
    outputLost = true;
    process.stderr.write(`retag: the report could not be written to standard output (${error.code ?? error.message})\n`);
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') outputLost = true;
  });
  // One abort listener per request in flight: --concurrency above 10 is not a leak.
  setMaxListeners(0, stop.signal, abort.signal);
  let signalExit: number | undefined;
  const onSignal = (code: number) => () => {
    if (signalExit !== undefined) process.exit(code); // a second signal: stop now
    signalExit = code;
    // On a terminal the cursor may sit after the progress line or the `^C` the terminal echoed:
    // the message starts on a line of its own.
    process.stderr.write(
      `${process.stderr.isTTY ? '\n' : ''}retag: interrupted; starting no new image, waiting up to ${INTERRUPT_GRACE_MS / 1000} s for requests in flight ` +
        '(signal again to stop at once)\n',
    );
    stop.abort();
    setTimeout(() => abort.abort(), INTERRUPT_GRACE_MS).unref();
    setTimeout(() => process.exit(code), INTERRUPT_GRACE_MS + INTERRUPT_HARD_STOP_MS).unref();
  };
  process.on('SIGINT', onSignal(EXIT_SIGINT));
  process.on('SIGTERM', onSignal(EXIT_SIGTERM));
  const finish = (code: number) => exitAfterOutput(() => (outputLost && code === EXIT_OK ? EXIT_IMAGES_FAILED : code));
  run(argv, { signal: stop.signal, abortSignal: abort.signal }).then(
    (code) => finish(signalExit ?? code),
    () => finish(signalExit ?? EXIT_IMAGES_FAILED),
  );
}

/**
 * stdout and stderr to a pipe are written asynchronously: exiting at once cut a 2,000-image JSON
 * report at 64 KiB (`retag apply --output json | jq`). Exit once both have been handed over.
 */
function exitAfterOutput(code: () => number): void {
  const flushed = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (stream.destroyed) resolve();
      else stream.write('', () => resolve()); // called with an error too, e.g. EPIPE
    });
  void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code()));
}
