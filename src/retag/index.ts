export { runRetag, type RunOptions } from './run.js';
export { retagImage, type ManifestRegistry } from './retag-image.js';
export { summarise, runSucceeded, decideExistingTarget, decideMissingTarget } from './plan.js';
export * from './types.js';
