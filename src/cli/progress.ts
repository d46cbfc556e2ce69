// Progress of a run on stderr. On a terminal: one line redrawn in place (`retag: 12/60 images`)
// for runs of more than PROGRESS_MIN_IMAGES. Without a terminal (a CI console): a heartbeat log
// line every HEARTBEAT_MS with the counts so far, e.g.
//   12:03:14 INFO  progress done=340 total=2000 created=331 exists=6 failed=3
// A heartbeat rather than a line per image: the report at the end already lists every image, a
// 2,000-image run would print 2,000 more lines, and what a console reader (and a CI "no output
// for N minutes" watchdog) needs during a long run is that it is alive and how far it got. Runs
// shorter than one interval print nothing extra; --log-level info adds the line per image.

import type { Logger } from 'pino';
import type { ImageResult, ImageStatus } from '../retag/types.js';
import type { Output } from './io.js';
import type { LogDestination } from './logger.js';

const PROGRESS_MIN_IMAGES = 20;
export const HEARTBEAT_MS = 10_000;
export const CLEAR_LINE = '\r\x1b[2K';

export class ProgressReporter {
  private done = 0;
  private readonly counts = new Map<ImageStatus, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** the redrawn line on a terminal */
  readonly onTerminal: boolean;

  constructor(
    private readonly stderr: Output,
    private readonly total: number,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {
    this.onTerminal = stderr.isTTY === true && total > PROGRESS_MIN_IMAGES;
  }

  /** With the line on the terminal, each log line first clears it (the next result redraws it). */
  logDestination(): LogDestination | undefined {
    return this.onTerminal ? { write: (line: string) => this.stderr.write(`${CLEAR_LINE}${line}`) } : undefined;
  }

  /** Starts the heartbeat when stderr is not a terminal; not below warn (--log-level error/silent). */
  start(logger: Logger): void {
    if (this.stderr.isTTY === true || !logger.isLevelEnabled('warn')) return;
    const log = logger.child({}, { level: 'info' });
    this.timer = setInterval(() => log.info({ done: this.done, total: this.total, ...Object.fromEntries(this.counts) }, 'progress'), this.heartbeatMs);
    this.timer.unref();
  }

  finished(result: ImageResult): void {
    this.done += 1;
    this.counts.set(result.status, (this.counts.get(result.status) ?? 0) + 1);
    if (this.onTerminal) this.stderr.write(`${CLEAR_LINE}retag: ${this.done}/${this.total} images`);
  }

  /** Idempotent: called once the run is over and again on the way out of an error. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.onTerminal) this.stderr.write(CLEAR_LINE);
  }
}
