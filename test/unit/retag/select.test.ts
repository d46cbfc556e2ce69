import { describe, expect, it } from 'vitest';
import { matchesPattern, selectTargets, splitNames } from '../../../src/retag/select.js';

describe('matchesPattern', () => {
  it.each([
    // the last path component, exactly
    ['docker.io/starlingx/k8s-cni-sriov', 'k8s-cni-sriov', true],
    ['docker.io/starlingx/k8s-cni-sriov', 'k8s-cni', false],
    ['docker.io/starlingx/k8s-cni-sriov', 'starlingx', false],
    // the whole name as written
    ['docker.io/starlingx/k8s-cni-sriov', 'docker.io/starlingx/k8s-cni-sriov', true],
    ['starlingx/k8s-cni-sriov', 'docker.io/starlingx/k8s-cni-sriov', false], // as written, not normalised
    // * matches any run, / included
    ['docker.io/starlingx/k8s-cni-sriov', 'docker.io/*', true],
    ['docker.io/starlingx/k8s-cni-sriov', '*/k8s-*', true],
    ['docker.io/starlingx/k8s-cni-sriov', '*sriov', true],
    ['docker.io/starlingx/k8s-cni-sriov', 'quay.io/*', false],
    ['docker.io/starlingx/k8s-cni-sriov', '*', true],
    // regex characters are literal
    ['docker.io/starlingx/stx-snmp', 'docker.io/starlingx/stx.snmp', false],
    ['docker.io/starlingx/stx.snmp', 'docker.io/starlingx/stx.snmp', true],
    ['registry.local:5000/a/b', 'registry.local:5000/*', true],
    ['docker.io/starlingx/a', '', false],
    // without the registry host (issue 13: `team/*` and `svc-0*` matched nothing)
    ['registry.lab:5000/team/svc-01', 'team/*', true],
    ['registry.lab:5000/team/svc-01', 'svc-0*', true],
    ['localhost/team/svc-01', 'team/svc-01', true],
    ['docker.io/starlingx/k8s-cni-sriov', 'starlingx/k8s-*', true],
    ['starlingx/k8s-cni-sriov', 'starlingx/*', true], // no host to remove
    ['starlingx/k8s-cni-sriov', 'k8s-cni-sriov', true],
    ['registry.lab:5000/team/svc-01', 'lab:5000/*', false], // a whole spelling, not a piece of one
    ['registry.lab:5000/team/svc-01', 'team', false],
  ])('%s ~ %s -> %s', (name, pattern, expected) => {
    expect(matchesPattern(name, pattern)).toBe(expected);
  });
});

describe('selectTargets', () => {
  const targets = [{ name: 'docker.io/starlingx/a' }, { name: 'docker.io/starlingx/b' }, { name: 'quay.io/x/a' }];
  it('no pattern: everything', () => {
    expect(selectTargets(targets, [])).toEqual({ selected: targets, unmatched: [] });
  });
  it('the union of patterns, in file order', () => {
    expect(selectTargets(targets, ['quay.io/*', 'b']).selected.map((t) => t.name)).toEqual(['docker.io/starlingx/b', 'quay.io/x/a']);
  });
  it('last component may match several registries', () => {
    expect(selectTargets(targets, ['a']).selected.map((t) => t.name)).toEqual(['docker.io/starlingx/a', 'quay.io/x/a']);
  });
  it('names every pattern that matched nothing', () => {
    expect(selectTargets(targets, ['a', 'nope', 'gcr.io/*']).unmatched).toEqual(['nope', 'gcr.io/*']);
  });
});

describe('splitNames (--repush a,b --repush c)', () => {
  it.each([
    [['a,b', 'c'], ['a', 'b', 'c']],
    [['a, b,,'], ['a', 'b']],
    [[], []],
  ])('%j -> %j', (values, expected) => {
    expect(splitNames(values)).toEqual(expected);
  });
});
