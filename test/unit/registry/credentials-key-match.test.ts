// Which `auths` key serves an image: containers-auth.json(5) and docker's readings, table-driven.
import { describe, expect, it } from 'vitest';
import { helperFor, matchingAuthKeys, normaliseRegistry, parseAuthKey, sameRegistry } from '../../../src/registry/credentials/key-match.js';

describe('parseAuthKey', () => {
  it.each([
    ['registry.lab:5000', { registry: 'registry.lab:5000', path: '', url: false }],
    ['Registry.LAB:5000', { registry: 'registry.lab:5000', path: '', url: false }],
    ['quay.io/team', { registry: 'quay.io', path: 'team', url: false }],
    ['quay.io/team/app/', { registry: 'quay.io', path: 'team/app', url: false }],
    ['https://quay.io', { registry: 'quay.io', path: '', url: true }],
    ['http://127.0.0.1:5000/v2/', { registry: '127.0.0.1:5000', path: '', url: true }],
    ['https://index.docker.io/v1/', { registry: 'docker.io', path: '', url: true }],
    ['registry-1.docker.io', { registry: 'docker.io', path: '', url: false }],
    ['index.docker.io/starlingx', { registry: 'docker.io', path: 'starlingx', url: false }],
    ['[::1]:5000', { registry: '[::1]:5000', path: '', url: false }],
    ['', undefined],
    ['https://', undefined],
  ])('%j', (key, expected) => {
    expect(parseAuthKey(key)).toEqual(expected);
  });

  it('a ~/.dockercfg key is always a registry (its paths were API paths)', () => {
    expect(parseAuthKey('registry.lab/v1/', true)).toEqual({ registry: 'registry.lab', path: '', url: false });
  });
});

describe('normaliseRegistry / sameRegistry', () => {
  it.each([
    ['docker.io', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['Registry-1.Docker.IO', 'docker.io'],
    ['quay.io', 'quay.io'],
    ['Lab:5000', 'lab:5000'],
  ])('%s -> %s', (host, expected) => {
    expect(normaliseRegistry(host)).toBe(expected);
  });

  it.each([
    ['docker.io', 'index.docker.io', true],
    ['registry.lab:5000', 'registry.lab', false],
    ['registry.lab', 'REGISTRY.lab', true],
    ['quay.io', 'quay.io.evil.example', false],
  ])('%s and %s: %s', (a, b, same) => {
    expect(sameRegistry(a, b)).toBe(same);
  });
});

describe('matchingAuthKeys: best first', () => {
  const keys = [
    'https://index.docker.io/v1/',
    'docker.io/starlingx',
    'docker.io/starlingx/k8s-cni-sriov',
    'quay.io',
    'https://quay.io',
    'quay.io/team',
    'registry.lab:5000',
    'http://registry.lab',
    'registry.lab:5000/a/b',
    'registry.lab:5000/ab',
  ];

  it.each([
    // most specific wins
    ['docker.io', 'starlingx/k8s-cni-sriov', ['docker.io/starlingx/k8s-cni-sriov', 'docker.io/starlingx', 'https://index.docker.io/v1/']],
    ['docker.io', 'starlingx/stx-nova', ['docker.io/starlingx', 'https://index.docker.io/v1/']],
    ['docker.io', 'library/ubuntu', ['https://index.docker.io/v1/']],
    // Docker Hub under any of its names
    ['index.docker.io', 'starlingx/stx-nova', ['docker.io/starlingx', 'https://index.docker.io/v1/']],
    ['registry-1.docker.io', undefined, ['https://index.docker.io/v1/']],
    // a host key before a URL key of the same registry
    ['quay.io', 'other/app', ['quay.io', 'https://quay.io']],
    ['quay.io', 'team/app', ['quay.io/team', 'quay.io', 'https://quay.io']],
    ['QUAY.IO', 'team', ['quay.io/team', 'quay.io', 'https://quay.io']],
    // the port is part of the registry; a path matches whole components only
    ['registry.lab:5000', 'a/b/c', ['registry.lab:5000/a/b', 'registry.lab:5000']],
    ['registry.lab:5000', 'ab/c', ['registry.lab:5000/ab', 'registry.lab:5000']],
    ['registry.lab:5000', 'a/bc', ['registry.lab:5000']],
    ['registry.lab', 'x', ['http://registry.lab']],
    ['registry.lab:5001', 'x', []],
    // no repository: registry keys only
    ['quay.io', undefined, ['quay.io', 'https://quay.io']],
    ['ghcr.io', 'x', []],
  ])('%s %s', (registry, repository, expected) => {
    expect(matchingAuthKeys(keys, registry, repository)).toEqual(expected);
  });

  it('in a legacy file every key is a registry', () => {
    expect(matchingAuthKeys(['https://registry.lab/v1/', 'https://index.docker.io/v1/'], 'registry.lab', 'x/y', true)).toEqual(['https://registry.lab/v1/']);
  });
});

describe('helperFor: credHelpers are per registry', () => {
  const credHelpers = { 'quay.io': 'quay', 'https://index.docker.io/v1/': 'desktop', '123.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login', 'ghcr.io/team': 'never' };
  it.each([
    ['quay.io', 'quay'],
    ['docker.io', 'desktop'],
    ['123.dkr.ecr.eu-west-1.amazonaws.com', 'ecr-login'],
    ['ghcr.io', undefined],
    ['registry.lab', undefined],
  ])('%s -> %s', (registry, expected) => {
    expect(helperFor(credHelpers, registry)).toBe(expected);
  });
});
