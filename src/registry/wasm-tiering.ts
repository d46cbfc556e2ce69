// undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8 compiles it with its baseline
// compiler (Liftoff), then again with the optimising one (TurboFan) in the background, and that
// second compile of llhttp's one large state machine briefly takes about 35 MiB: a third of a
// whole run's peak memory (measured with `npm run bench`). Parsing a few thousand small registry
// answers gains nothing measurable from it, so retag keeps the baseline code.
import { setFlagsFromString } from 'node:v8';

let applied = false;

/** Call before the first request: the flag only affects modules compiled after it. */
export function keepWasmBaselineCode(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--liftoff-only');
}
