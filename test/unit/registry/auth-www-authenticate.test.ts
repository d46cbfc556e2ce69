import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/registry/auth/www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it.each([
    {
      header: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:starlingx/x:pull"',
      expected: [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:starlingx/x:pull' } }],
    },
    { header: 'Basic realm="basic-realm"', expected: [{ scheme: 'basic', params: { realm: 'basic-realm' } }] },
    { header: 'basic realm=unquoted', expected: [{ scheme: 'basic', params: { realm: 'unquoted' } }] },
    {
      header: 'Bearer realm = "https://a/token" , service="s", error="insufficient_scope"',
      expected: [{ scheme: 'bearer', params: { realm: 'https://a/token', service: 's', error: 'insufficient_scope' } }],
    },
    {
      header: 'Basic realm="r", Bearer realm="https://t/token",service="s"',
      expected: [
        { scheme: 'basic', params: { realm: 'r' } },
        { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } },
      ],
    },
    { header: 'Bearer realm="with \\"escaped\\" quote"', expected: [{ scheme: 'bearer', params: { realm: 'with "escaped" quote' } }] },
    { header: 'Bearer REALM="x",Service="y"', expected: [{ scheme: 'bearer', params: { realm: 'x', service: 'y' } }] },
    { header: '', expected: [] },
    { header: undefined, expected: [] },
    { header: '=,,="', expected: [] },
    // cut short: an unterminated quote keeps what was read; a last backslash is kept as is
    { header: 'Bearer realm="https://t/tok', expected: [{ scheme: 'bearer', params: { realm: 'https://t/tok' } }] },
    { header: 'Bearer realm="ends with \\', expected: [{ scheme: 'bearer', params: { realm: 'ends with \\' } }] },
    // a parameter without a value is empty, and the next one is still read
    { header: 'Bearer realm=,service="s"', expected: [{ scheme: 'bearer', params: { realm: '', service: 's' } }] },
    // any run of spaces and tabs around '=' (RFC 7235's BWS)
    { header: 'Bearer realm \t =  "x"', expected: [{ scheme: 'bearer', params: { realm: 'x' } }] },
  ])('$header', ({ header, expected }) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});
