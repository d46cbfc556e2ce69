// Parses WWW-Authenticate challenges (RFC 7235 section 4.1) as registries send them:
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"
//   Basic realm="basic-realm"
// Pure and table-tested; a malformed header yields what could be read, never a throw.

export interface Challenge {
  scheme: string; // lowercase: 'bearer', 'basic', ...
  params: Record<string, string>; // parameter names lowercase
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const WHITESPACE = /[ \t]*/y;

function readToken(text: string, at: number): [string, number] | undefined {
  TOKEN.lastIndex = at;
  const match = TOKEN.exec(text);
  return match ? [match[0], at + match[0].length] : undefined;
}

function skipSpace(text: string, at: number): number {
  WHITESPACE.lastIndex = at;
  const match = WHITESPACE.exec(text);
  return at + (match ? match[0].length : 0);
}

function readQuoted(text: string, at: number): [string, number] {
  let value = '';
  let i = at + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    value += text[i];
    i += 1;
  }
  return [value, i + 1];
}

export function parseWwwAuthenticate(header: string | undefined): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  let at = 0;
  let current: Challenge | undefined;
  while (at < header.length) {
    at = skipSpace(header, at);
    if (header[at] === ',') {
      at += 1;
      continue;
    }
    const token = readToken(header, at);
    if (!token) {
      at += 1; // garbage: skip a character rather than loop forever
      continue;
    }
    const [word, afterWord] = token;
    const afterSpace = skipSpace(header, afterWord);
    if (header[afterSpace] === '=' && current) {
      // an auth-param of the current challenge
      let valueAt = skipSpace(header, afterSpace + 1);
      let value = '';
      if (header[valueAt] === '"') {
        [value, valueAt] = readQuoted(header, valueAt);
      } else {
        const bare = readToken(header, valueAt);
        if (bare) [value, valueAt] = bare;
      }
      current.params[word.toLowerCase()] = value;
      at = valueAt;
    } else {
      current = { scheme: word.toLowerCase(), params: {} };
      challenges.push(current);
      at = afterWord;
    }
  }
  return challenges;
}
