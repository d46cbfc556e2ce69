import { describe, expect, it } from 'vitest';
import { apiHost, canonicalName, isLoopbackHost, isValidTag, parseImageName } from '../../../src/image-name/index.js';

describe('parseImageName', () => {
  it.each([
    ['docker.io/starlingx/k8s-cni-sriov', 'docker.io', 'starlingx/k8s-cni-sriov'],
    ['starlingx/k8s-cni-sriov', 'docker.io', 'starlingx/k8s-cni-sriov'],
    ['ubuntu', 'docker.io', 'library/ubuntu'],
    ['docker.io/ubuntu', 'docker.io', 'library/ubuntu'],
    ['index.docker.io/library/ubuntu', 'docker.io', 'library/ubuntu'],
    ['quay.io/team/app', 'quay.io', 'team/app'],
    ['localhost/app', 'localhost', 'app'],
    ['localhost:5000/app', 'localhost:5000', 'app'],
    ['127.0.0.1:5000/a/b/c', '127.0.0.1:5000', 'a/b/c'],
    ['[::1]:5000/app', '[::1]:5000', 'app'],
    ['registry.lab/a__b/c-d/e.f_g', 'registry.lab', 'a__b/c-d/e.f_g'],
    ['ghcr.io/a--b/c', 'ghcr.io', 'a--b/c'],
  ])('%s -> %s / %s', (name, registry, repository) => {
    expect(parseImageName(name)).toEqual({ registry, repository });
  });

  it.each([
    ['', /empty/],
    ['docker.io/StarlingX/x', /lowercase/],
    ['docker.io/starlingx/x:tag', /carries a tag/],
    ['docker.io/starlingx/x@sha256:abc', /carries a digest/],
    ['starlingx//x', /invalid path component ""/],
    ['starlingx/-x', /invalid path component/],
    ['starlingx/x_', /invalid path component/],
    ['bad_host.io:port/x', /not a valid host name|not a number/],
    ['host.io:50a0/x', /not a number/],
    ['my.reg:99999/a', /not between 1 and 65535/],
    ['my.reg:0/a', /not between 1 and 65535/],
    ['a/'.repeat(200) + 'b', /longer than 255/],
  ])('rejects %j', (name, message) => {
    expect(() => parseImageName(name)).toThrow(message);
  });

  it('canonicalises Docker Hub spellings to one name', () => {
    const names = ['ubuntu', 'docker.io/ubuntu', 'docker.io/library/ubuntu', 'index.docker.io/library/ubuntu'];
    expect(new Set(names.map((n) => canonicalName(parseImageName(n))))).toEqual(new Set(['docker.io/library/ubuntu']));
  });
});

describe('hosts', () => {
  it('serves docker.io from registry-1.docker.io', () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('quay.io')).toBe('quay.io');
  });
  it.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['127.0.0.1:5000', true],
    ['127.12.0.3', true],
    ['[::1]:5000', true],
    ['10.0.0.1:5000', false],
    ['localhost.example.com', false],
    ['docker.io', false],
  ])('%s loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('isValidTag', () => {
  it.each([
    ['stx.4.0-v2.2', true],
    ['master-centos-stable-20191203T153530Z.0', true],
    ['_x', true],
    ['1.10', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['.x', false],
    ['-x', false],
    ['a b', false],
    ['a:b', false],
    ['', false],
  ])('%s: %s', (tag, valid) => {
    expect(isValidTag(tag)).toBe(valid);
  });
});
