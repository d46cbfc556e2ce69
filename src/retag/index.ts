export { runRetag, type RunOptions } from './run.js';
export { retagImage, type ManifestRegistry } from './retag-image.js';
export { summarise, runSucceeded, hasPending, decideExistingTarget, decideMissingTarget, decideRepush, decideMoved } from './plan.js';
export { matchesPattern, selectTargets, splitNames, type Selection } from './select.js';
export * from './types.js';
