// Which images of the tag files a run touches: `--only PATTERN` and `--repush NAME`.
// Pure. A pattern matches an image's name in any of three spellings: as written in the tag file
// (`docker.io/starlingx/stx-*`), without its registry host (`starlingx/stx-*`, `team/*`), or its
// last path component (`k8s-cni-sriov`, `svc-0*`). `*` stands for any run of characters, `/`
// included; the pattern must match the whole of one spelling.

import type { RetagTarget } from './types.js';

function wildcard(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/**
 * The name without its registry host: the first component is a host when it has a `.` or a `:`
 * or is `localhost` (the reference grammar's rule); `starlingx/x` has none to remove.
 */
function withoutHost(name: string): string {
  const slash = name.indexOf('/');
  if (slash < 0) return name;
  const first = name.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? name.slice(slash + 1) : name;
}

export function spellings(name: string): string[] {
  return [name, withoutHost(name), name.slice(name.lastIndexOf('/') + 1)];
}

export function matchesPattern(name: string, pattern: string): boolean {
  if (pattern === '') return false;
  const regexp = wildcard(pattern);
  return spellings(name).some((spelling) => regexp.test(spelling));
}

/** `--repush a,b --repush c` -> `[a, b, c]`; empty pieces dropped. */
export function splitNames(values: string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((name) => name.trim()).filter((name) => name !== '');
}

export interface Selection<T extends Pick<RetagTarget, 'name'>> {
  selected: T[];
  /** patterns that matched no image: a typo the user must hear about */
  unmatched: string[];
}

/** The targets matching any pattern; every target when no pattern is given. */
export function selectTargets<T extends Pick<RetagTarget, 'name'>>(targets: T[], patterns: string[]): Selection<T> {
  if (patterns.length === 0) return { selected: targets, unmatched: [] };
  const unmatched = patterns.filter((pattern) => !targets.some((target) => matchesPattern(target.name, pattern)));
  const selected = targets.filter((target) => patterns.some((pattern) => matchesPattern(target.name, pattern)));
  return { selected, unmatched };
}
