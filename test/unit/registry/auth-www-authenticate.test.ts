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
  ])('$header', ({ header, expected }) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});
