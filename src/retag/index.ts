export { runRetag, type RunOptions } from './run.js';
export { retagImage, type ManifestRegistry } from './retag-image.js';
export { nextStep, decideExistingTarget, decideMissingTarget, decideRepush, decideMoved, type Answers, type Decision, type PlanOptions, type PlanRequest, type Step } from './plan.js';
export { summarise, runSucceeded, hasPending } from './summary.js';
export { matchesPattern, selectTargets, splitNames, type Selection } from './select.js';
export * from './types.js';
