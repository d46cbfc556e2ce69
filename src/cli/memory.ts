// V8 settings for a short CLI run that spends its life waiting on the network. Set at run time by
// main(), the process entry (not as bin/retag.js shebang flags, which npm's Windows shims drop),
// before a command's modules load and before the first request.
// Measured with `npm run bench` and `npm run bench:serve` (2,000 images, target < 100 MiB):
// - The young generation grows to tens of MiB under the steady allocation of thousands of
//   requests, though what survives is a few MiB: keeping it small costs some extra scavenges
//   (~0.3 ms CPU per image) and saves ~27 MiB.
// - undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8 compiles it with its baseline
//   compiler (Liftoff), then again with the optimising one (TurboFan) in the background, and that
//   second compile of llhttp's one large state machine briefly takes ~35 MiB; parsing a few
//   thousand small registry answers gains nothing measurable from it.
// - The old generation may grow by a fixed 50% (and V8's minimum step of 8 MiB) over what the last
//   full collection kept, instead of V8's dynamic factor (up to 4x for a small heap that collects
//   fast). Requests wait ~50 ms on the network, so what they allocate outlives two scavenges and
//   is promoted; with V8's factor the old generation of a 2,000-image rerun filled with ~22 MiB of
//   that garbage before its first full collection (peak RSS 98 MiB -> 84 MiB with the fixed
//   factor; six full collections in the run instead of three, ~0.1 s of CPU in a 17-28 s run).
import { setFlagsFromString } from 'node:v8';

let applied = false;

/**
 * Node majors whose V8 these flags were measured on. V8 prints "unrecognized flag" to stderr for
 * a flag it has dropped, which would land in every run's output, so other majors are left alone.
 */
const MEASURED_NODE_MAJORS = new Set(['20']);

export function tuneMemoryForRun(): void {
  if (applied || !MEASURED_NODE_MAJORS.has(process.versions.node.split('.')[0] ?? '')) return;
  applied = true;
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=50'); // read at every full collection, so it applies at run time
  setFlagsFromString('--liftoff-only'); // only affects modules compiled after it: before the first request
}
