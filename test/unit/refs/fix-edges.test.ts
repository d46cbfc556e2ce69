// Edges of --fix (fix.ts) that fix.test.ts does not reach, found by mutation testing
// (docs/mutation-testing.md): planFix on references with no place to write or with a placeholder it
// cannot place, two edits on one line (applied right to left), overlapping or stale edits refused.
import { describe, expect, it } from 'vitest';
import { applyEdits, EditConflictError, fixRefs, planFix, type Edit } from '../../../src/refs/fix.js';
import { scanText, type ScannedRef } from '../../../src/refs/scan-file.js';
import { STX } from './helpers.js';

const drift = (fields: Partial<ScannedRef>): ScannedRef => ({
  line: 1,
  column: 1,
  image: 'docker.io/starlingx/dex',
  tag: 'old',
  text: 'docker.io/starlingx/dex:old',
  form: 'inline',
  status: 'drift',
  expected: ['t1'],
  ...fields,
});

const SITE = { line: 0, start: 3, end: 6, current: 'old', insertPrefix: '' };

describe('planFix', () => {
  it.each<[string, ScannedRef, ReturnType<typeof planFix>]>([
    ['no place to write the tag', drift({}), { action: 'left', reason: 'the tag is not written where it can be changed' }],
    ['a placeholder it cannot place among several tags', drift({ tag: 'v1-@OS@x', expected: ['v2-ax', 'v2-bx'], site: SITE }), { action: 'ambiguous', candidates: ['v2-ax', 'v2-bx'] }],
    [
      'a placeholder with one candidate',
      drift({ tag: 'v1-@OS@', expected: ['v2-bullseye'], site: SITE }),
      { action: 'left', reason: 'cannot tell which part of v2-bullseye the placeholder in v1-@OS@ stands for; edit it by hand' },
    ],
    ['one tag: changed to it', drift({ site: SITE }), { action: 'change', to: 't1' }],
    ['pinned: nothing to do', drift({ status: 'pinned', site: SITE }), undefined],
  ])('%s', (_name, ref, plan) => {
    expect(planFix(ref, false)).toEqual(plan);
  });
});

describe('applyEdits and fixRefs', () => {
  it('two references on one line are both changed (edits applied right to left)', () => {
    const text = 'a: docker.io/starlingx/dex:old b: docker.io/starlingx/k8s-cni-sriov:old\n';
    const result = fixRefs(text, scanText(text, 'x.sh', STX), false);
    expect(result.text).toBe('a: docker.io/starlingx/dex:stx.4.0-v2.14.0-1 b: docker.io/starlingx/k8s-cni-sriov:stx.4.0-v2.2\n');
    expect(result.edits).toBe(2);
  });

  it('edits given in any order are applied right to left', () => {
    const edits: Edit[] = [
      { site: { line: 0, start: 0, end: 1, current: 'a', insertPrefix: '' }, from: 'a', to: 'AAA' },
      { site: { line: 0, start: 2, end: 3, current: 'b', insertPrefix: '' }, from: 'b', to: 'BBB' },
      { site: { line: 1, start: 0, end: 1, current: 'c', insertPrefix: '' }, from: 'c', to: 'CCC' },
    ];
    expect(applyEdits('a b\nc\n', edits)).toBe('AAA BBB\nCCC\n');
    expect(applyEdits('a b\nc\n', [...edits].reverse())).toBe('AAA BBB\nCCC\n');
  });

  it('edits that touch without overlapping are both made', () => {
    const edits: Edit[] = [
      { site: { line: 0, start: 0, end: 2, current: 'ab', insertPrefix: '' }, from: 'ab', to: 'X' },
      { site: { line: 0, start: 2, end: 4, current: 'cd', insertPrefix: '' }, from: 'cd', to: 'Y' },
    ];
    expect(applyEdits('abcd\n', edits)).toBe('XY\n');
  });

  it('overlapping edits are refused, whatever else comes between them', () => {
    const edits: Edit[] = [
      { site: { line: 2, start: 0, end: 4, current: 'abcd', insertPrefix: '' }, from: 'abcd', to: 'x' },
      { site: { line: 0, start: 0, end: 1, current: 'q', insertPrefix: '' }, from: 'q', to: 'Q' },
      { site: { line: 3, start: 0, end: 1, current: 'r', insertPrefix: '' }, from: 'r', to: 'R' },
      { site: { line: 2, start: 2, end: 6, current: 'cdef', insertPrefix: '' }, from: 'cdef', to: 'y' },
    ];
    expect(() => applyEdits('q\n\nabcdef\nr\n', edits)).toThrow(new EditConflictError('two edits overlap on line 3'));
  });

  it('overlapping edits are refused', () => {
    const edits: Edit[] = [
      { site: { line: 2, start: 0, end: 4, current: 'abcd', insertPrefix: '' }, from: 'abcd', to: 'x' },
      { site: { line: 2, start: 2, end: 6, current: 'cdef', insertPrefix: '' }, from: 'cdef', to: 'y' },
    ];
    expect(() => applyEdits('\n\nabcdef\n', edits)).toThrow(new EditConflictError('two edits overlap on line 3'));
  });

  it('an edit of a line that is no longer there is refused, naming it', () => {
    const edit: Edit = { site: { line: 4, start: 0, end: 3, current: 'old', insertPrefix: '' }, from: 'old', to: 'new' };
    let caught: unknown;
    try {
      applyEdits('old\n', [edit]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EditConflictError);
    expect(caught).toMatchObject({ name: 'EditConflictError', message: 'line 5 no longer holds "old"' });
  });
});
