// The shapes the auth modules share, and the token scope grammar
// (https://distribution.github.io/distribution/spec/auth/scope/).

import type { JwtAccess } from '../wire-schemas.js';

export type Access = 'pull' | 'pull,push';

/** How a registry wants to be spoken to, learnt from its /v2/ answer (or a later 401). */
export type RegistryAuth = { scheme: 'none' } | { scheme: 'basic' } | { scheme: 'bearer'; realm: string; service?: string };
export type BearerAuth = Extract<RegistryAuth, { scheme: 'bearer' }>;

export interface CachedToken {
  token: string;
  expiresAt: number;
  /** what a JWT says it grants; undefined for an opaque token (trusted until a 401 says otherwise) */
  access?: JwtAccess[];
  /** fetched for several repositories' scopes at once */
  shared?: boolean;
}

/** What a request is for: the registry, the repository and the actions it needs. */
export interface AuthTarget {
  registry: string;
  repository: string;
  access: Access;
}

export function scopeOf(repository: string, access: Access): string {
  return `repository:${repository}:${access}`;
}

export function repositoryOfScope(scope: string): string {
  return scope.slice(scope.indexOf(':') + 1, scope.lastIndexOf(':'));
}
