// Reading one auth file: Docker's config.json and containers' auth.json share a shape (`auths`,
// `credHelpers`, `credsStore`); ~/.dockercfg is the legacy form, the `auths` map at the top level.
// https://github.com/docker/cli/blob/master/cli/config/configfile/file.go
// https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md
// A missing file is "nothing configured here". A file that exists but cannot be read, is not
// JSON, or has the wrong shape is an error naming it: skipping it silently would send the run on
// to another file's (older) credentials, or to none, with no word of why.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Secret } from '../secret.js';
import type { Credential } from './types.js';

// https://github.com/docker/cli/blob/master/cli/config/types/authconfig.go
const AuthEntrySchema = z.object({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
});
const AuthsSchema = z.record(z.string(), AuthEntrySchema);
const AuthFileSchema = z.object({
  auths: AuthsSchema.optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
  credsStore: z.string().optional(),
});

export type AuthEntry = z.infer<typeof AuthEntrySchema>;

export interface AuthFile {
  auths: Record<string, AuthEntry>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

export type AuthFileFormat = 'auths' | 'legacy';

/** Why an auth file could not be used; the message names the file and says what to do. */
export class AuthFileError extends Error {
  override name = 'AuthFileError';
}

/** The first problem zod found, as `auths."quay.io".auth: expected string`, never a value. */
function describeShapeProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'has an unexpected shape';
  const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : JSON.stringify(String(part)))).join('.');
  return `has an unexpected shape at ${path || 'the top level'} (${issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code})`;
}

/**
 * The parsed file, or undefined when it does not exist. `label` names it in errors
 * (`--authfile ci-auth.json`, `~/.docker/config.json`).
 */
export async function readAuthFile(path: string, label: string, format: AuthFileFormat): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new AuthFileError(`${label} cannot be read (${code ?? 'error'}); fix its permissions or remove it`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // the parser's message may quote the file's text, which may be a secret: not shown
    throw new AuthFileError(`${label} is not valid JSON; fix it (\`jq . FILE\` shows where) or log in again to rewrite it`);
  }
  if (format === 'legacy') {
    const parsed = AuthsSchema.safeParse(json);
    if (!parsed.success) throw new AuthFileError(`${label} ${describeShapeProblem(parsed.error)}; a ~/.dockercfg maps registries to {"auth": "..."}`);
    return { auths: parsed.data, credHelpers: {} };
  }
  const parsed = AuthFileSchema.safeParse(json);
  if (!parsed.success) throw new AuthFileError(`${label} ${describeShapeProblem(parsed.error)}; see containers-auth.json(5)`);
  return { auths: parsed.data.auths ?? {}, credHelpers: parsed.data.credHelpers ?? {}, credsStore: parsed.data.credsStore || undefined };
}

/**
 * An `auths` entry's credential: `identitytoken` (an OAuth2 refresh token), else `auth`
 * (base64 of user:password), else `username`/`password`. An entry holding none of them, or an
 * `auth` without a colon, holds no credential (docker and containers/image skip it too).
 */
export function credentialFromEntry(entry: AuthEntry): Credential | undefined {
  if (entry.identitytoken) {
    return { kind: 'identity-token', username: entry.username, token: new Secret(entry.identitytoken) };
  }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return { kind: 'basic', username: decoded.slice(0, colon), password: new Secret(decoded.slice(colon + 1)) };
    }
    return undefined;
  }
  if (entry.username && entry.password !== undefined) {
    return { kind: 'basic', username: entry.username, password: new Secret(entry.password) };
  }
  return undefined;
}
