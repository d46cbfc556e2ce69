// Edges of the image-name grammar that mutation testing (docs/mutation-testing.md) found
// untested: IPv6 hosts, host-name components, port bounds, the length limit, long names in
// messages, and the loopback decision (which lets credentials go over plain HTTP).

import { describe, expect, it } from 'vitest';
import { hostnameOf, isLoopbackHost, parseImageName, ImageNameError } from '../../../src/image-name/index.js';

/** The message parseImageName throws for a name (fails the test when it does not throw). */
function messageFor(name: string): string {
  try {
    parseImageName(name);
  } catch (error) {
    expect(error).toBeInstanceOf(ImageNameError);
    expect((error as Error).name).toBe('ImageNameError');
    return (error as Error).message;
  }
  throw new Error(`${name} was accepted`);
}

describe('parseImageName: hosts', () => {
  it.each([
    ['[::1]/app', '[::1]'],
    ['[fe80::1]:443/a/b', '[fe80::1]:443'],
    ['MyRegistry/app', 'MyRegistry'], // an upper-case first component is a host (docker's rule), not a path
    ['registry-1.docker.io/team/app', 'docker.io'],
    ['reg.example.com:1/app', 'reg.example.com:1'],
    ['reg.example.com:65535/app', 'reg.example.com:65535'],
    ['a-b.example.com/app', 'a-b.example.com'],
  ])('%s is on %s', (name, registry) => {
    expect(parseImageName(name).registry).toBe(registry);
  });

  it.each([
    ['[::1]x/app', 'registry host "[::1]x" is not a valid host[:port]'],
    ['[g::1]/app', 'registry host "[g::1]" is not a valid IPv6 address'],
    ['[::1]:abc/app', 'registry port in "[::1]:abc" is not a number'],
    ['[::1]:0/app', 'registry port in "[::1]:0" is not between 1 and 65535'],
    ['reg.example.com:65536/app', 'registry port in "reg.example.com:65536" is not between 1 and 65535'],
    ['my_registry.example.com/app', 'registry host "my_registry.example.com" is not a valid host name'],
    ['good.bad_part.com/app', 'registry host "good.bad_part.com" is not a valid host name'],
    ['-registry.example.com/app', 'registry host "-registry.example.com" is not a valid host name'],
    ['registry-.example.com/app', 'registry host "registry-.example.com" is not a valid host name'],
    [':5000/app', 'registry host ":5000" is not a valid host name'],
  ])('%s: %s', (name, message) => {
    expect(messageFor(name)).toBe(message);
  });
});

describe('parseImageName: paths and lengths', () => {
  it('upper case in a path gets the lowercase hint, other bad components do not', () => {
    expect(messageFor('docker.io/starlingx/App')).toBe(
      'image name "docker.io/starlingx/App" has an invalid path component "App" (repository paths must be lowercase); ' +
        'components are lowercase letters and digits separated by ".", "_", "__" or "-"',
    );
    expect(messageFor('docker.io/starlingx/a_-b')).toBe(
      'image name "docker.io/starlingx/a_-b" has an invalid path component "a_-b"; components are lowercase letters and digits separated by ".", "_", "__" or "-"',
    );
  });

  it('255 characters is the longest name', () => {
    expect(parseImageName('a'.repeat(255)).repository).toBe(`library/${'a'.repeat(255)}`);
    expect(messageFor('a'.repeat(256))).toBe('image name is longer than 255 characters');
  });

  it('a name over 100 characters is shown cut to 100 in messages; one of 100 is shown whole', () => {
    const hundred = `${'A'.repeat(100)}`;
    expect(messageFor(hundred)).toContain(`"${hundred}" (repository`);
    const long = `${'B'.repeat(150)}`;
    const message = messageFor(long);
    expect(message).toContain(`"${'B'.repeat(100)}..."`);
    expect(message).not.toContain('B'.repeat(101));
  });
});

describe('hostnameOf and isLoopbackHost', () => {
  it.each([
    ['[::1]', '[::1]'],
    ['[::1]:5000', '[::1]'],
    ['host:5000', 'host'],
    [':5000', ''],
    ['host', 'host'],
  ])('hostnameOf(%s) = %s', (registry, host) => {
    expect(hostnameOf(registry)).toBe(host);
  });

  it.each([
    ['[::1]', true],
    ['127.10.20.30:5000', true],
    ['127.0.0.1', true],
    [':5000', false],
    ['10.127.0.0.1', false],
    ['127.0.0.1.example.com', false],
    ['127.0.0', false],
    ['127.a.0.1', false],
  ])('isLoopbackHost(%s) = %s', (registry, loopback) => {
    expect(isLoopbackHost(registry)).toBe(loopback);
  });
});
