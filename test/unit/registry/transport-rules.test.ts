import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registryBaseUrl } from '../../../src/registry/client.js';
import { Secret } from '../../../src/registry/secret.js';

describe('registryBaseUrl', () => {
  it.each([
    ['docker.io', [], 'https://registry-1.docker.io'],
    ['quay.io', [], 'https://quay.io'],
    ['localhost:5000', [], 'http://localhost:5000'],
    ['127.0.0.1:5000', [], 'http://127.0.0.1:5000'],
    ['[::1]:5000', [], 'http://[::1]:5000'],
    ['registry.lab:5000', [], 'https://registry.lab:5000'],
    ['registry.lab:5000', ['registry.lab:5000'], 'http://registry.lab:5000'],
    ['registry.lab:5000', ['registry.lab'], 'http://registry.lab:5000'],
    ['registry.lab:5000', ['other.lab'], 'https://registry.lab:5000'],
  ])('%s with insecure %j -> %s', (registry, insecure, expected) => {
    expect(registryBaseUrl(registry, insecure)).toBe(expected);
  });
});

describe('Secret', () => {
  it('never prints its value', () => {
    const secret = new Secret('hunter2');
    expect(String(secret)).toBe('[REDACTED]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[REDACTED]"}');
    expect(inspect({ secret })).not.toContain('hunter2');
    expect(`${secret}`).not.toContain('hunter2');
    expect(secret.reveal()).toBe('hunter2');
  });
});
