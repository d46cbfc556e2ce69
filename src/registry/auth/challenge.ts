// What a registry's 401 asks for: the usable scheme of its WWW-Authenticate challenges
// (Bearer with an http(s) realm before Basic), and whether a 401 says the token lacks the action.

import { isHttpUrl } from '../../shared/http-url.js';
import type { RegistryAuth } from './types.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';

export function describeChallenge(challenges: Challenge[]): RegistryAuth | undefined {
  const bearer = challenges.find((c) => c.scheme === 'bearer');
  // A realm retag could not ask (relative, not http(s)) makes the challenge unusable, said as such.
  if (bearer?.params.realm && isHttpUrl(bearer.params.realm)) {
    return { scheme: 'bearer', realm: bearer.params.realm, service: bearer.params.service };
  }
  if (challenges.some((c) => c.scheme === 'basic')) return { scheme: 'basic' };
  return undefined;
}

/** The scheme a WWW-Authenticate header asks for, or undefined when none is usable. */
export function schemeOf(header: string | undefined): RegistryAuth | undefined {
  return describeChallenge(parseWwwAuthenticate(header));
}

/**
 * A token that is valid but lacks the action (a pull-only account pushing) says so with
 * `error="insufficient_scope"`; a fresh token would say the same.
 */
export function isInsufficientScope(header: string | undefined): boolean {
  return parseWwwAuthenticate(header).some((c) => c.params.error === 'insufficient_scope');
}
