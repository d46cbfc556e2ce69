// Registry authentication: the Authenticator's send() hook (authenticator.ts) and what callers name.
export { Authenticator, type AuthenticatorOptions, type SendWith } from './authenticator.js';
export { DEFAULT_SCOPES_PER_REQUEST } from './scope-batching.js';
export type { Access, AuthTarget } from './types.js';
