// Which images of the tag files a run touches: `--only PATTERN` and `--repush NAME`.
// Pure. A pattern matches an image's name as written in the tag file, with `*` for any run of
// characters (`/` included), or equals the name's last path component (`--only k8s-cni-sriov`).

import type { RetagTarget } from './types.js';

function wildcard(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

export function matchesPattern(name: string, pattern: string): boolean {
  if (pattern === '') return false;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last === pattern || wildcard(pattern).test(name);
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
