// V8 settings for a short CLI run that spends its life waiting on the network. Set at run time by
// main(), the process entry (not as bin/retag.js shebang flags, which npm's Windows shims drop),
// before a command's modules load and before the first request.
// Measured with `npm run bench` (2,000 images, peak RSS was 108 MiB, target < 100 MiB):
// - The young generation grows to tens of MiB under the steady allocation of thousands of
//   requests, though what survives is a few MiB: keeping it small costs some extra scavenges
//   (~0.3 ms CPU per image) and saves ~27 MiB.
// - undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8 compiles it with its baseline
//   compiler (Liftoff), then again with the optimising one (TurboFan) in the background, and that
//   second compile of llhttp's one large state machine briefly takes ~35 MiB; parsing a few
//   thousand small registry answers gains nothing measurable from it.
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
  setFlagsFromString('--liftoff-only'); // only affects modules compiled after it: before the first request
}
