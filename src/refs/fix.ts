// --fix: what to write for each drifting or floating reference, and the edit itself. The edit
// replaces only the tag text (or inserts `:tag` after a bare name, or the value of an empty tag
// key); every other byte of the file stays as it was, line endings and a missing final newline
// included. Pure; write-atomic.ts does the writing.
import type { EditSite, ScannedRef } from './scan-file.js';
import { hasPlaceholder, placeholderRewrite } from './tags.js';
import type { FixOutcome } from './types.js';

export type FixPlan = { action: 'change'; to: string } | Extract<FixOutcome, { action: 'ambiguous' | 'left' }>;

/** What --fix does with one reference; undefined for those it has nothing to do with. */
export function planFix(ref: ScannedRef, includeComments: boolean): FixPlan | undefined {
  if (ref.status !== 'drift' && ref.status !== 'floating') return undefined;
  if (ref.inComment && !includeComments) return { action: 'left', reason: 'in a comment (--fix --all rewrites comments too)' };
  if (ref.fixBlocked !== undefined) return { action: 'left', reason: ref.fixBlocked };
  if (ref.site === undefined) return { action: 'left', reason: 'the tag is not written where it can be changed' };
  const candidates = ref.expected;
  if (ref.tag !== null && hasPlaceholder(ref.tag)) {
    const rewritten = placeholderRewrite(ref.tag, candidates);
    if (rewritten !== undefined) return { action: 'change', to: rewritten };
    if (candidates.length > 1) return { action: 'ambiguous', candidates };
    return { action: 'left', reason: `cannot tell which part of ${candidates[0] ?? 'the tag'} the placeholder in ${ref.tag} stands for; edit it by hand` };
  }
  const only = candidates.length === 1 ? candidates[0] : undefined;
  return only === undefined ? { action: 'ambiguous', candidates } : { action: 'change', to: only };
}

export interface Edit {
  site: EditSite;
  /** the tag text the site holds now ('' for an insertion) */
  from: string;
  to: string;
}

export class EditConflictError extends Error {
  override name = 'EditConflictError';
}

/**
 * The text with the edits made. Throws EditConflictError when a site no longer holds what the
 * scan saw (the file changed under us) or two edits overlap; nothing is written then.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const lines = text.split('\n');
  const ordered = [...edits].sort((a, b) => b.site.line - a.site.line || b.site.start - a.site.start);
  let previous: Edit | undefined;
  for (const edit of ordered) {
    const { site } = edit;
    if (previous !== undefined && previous.site.line === site.line && site.end > previous.site.start) {
      throw new EditConflictError(`two edits overlap on line ${site.line + 1}`);
    }
    const line = lines[site.line];
    if (line === undefined || line.slice(site.start, site.end) !== edit.from) {
      throw new EditConflictError(`line ${site.line + 1} no longer holds "${edit.from}"`);
    }
    const inserted = site.start === site.end ? `${site.insertPrefix}${edit.to}${line[site.start] === '#' ? ' ' : ''}` : edit.to;
    lines[site.line] = `${line.slice(0, site.start)}${inserted}${line.slice(site.end)}`;
    previous = edit;
  }
  return lines.join('\n');
}

export interface FixResult {
  /** the text with every unambiguous drift and floating reference rewritten */
  text: string;
  edits: number;
  /** per reference (same order as given): what --fix did, undefined when it had nothing to do */
  outcomes: (FixOutcome | undefined)[];
}

/** Plans and makes every edit for one file's references. Throws EditConflictError (see applyEdits). */
export function fixRefs(text: string, refs: readonly ScannedRef[], includeComments: boolean): FixResult {
  const edits: Edit[] = [];
  const outcomes = refs.map((ref): FixOutcome | undefined => {
    const plan = planFix(ref, includeComments);
    if (plan === undefined || plan.action !== 'change') return plan;
    if (ref.site === undefined) return { action: 'left', reason: 'the tag is not written where it can be changed' };
    edits.push({ site: ref.site, from: ref.site.current, to: plan.to });
    return { action: 'changed', from: ref.tag, to: plan.to };
  });
  return { text: edits.length === 0 ? text : applyEdits(text, edits), edits: edits.length, outcomes };
}
