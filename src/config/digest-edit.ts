// Writing `src_digest:` lines into a tag file's text for `retag pin` (issue 10), touching no other
// byte: comments, order, quoting, blank lines and line endings (LF, CRLF, CR) stay as written.
// Pure: text and the wanted digests in, new text or located problems out.
//
// Only a block entry whose `src_build_tag:` (or `src_digest:`) holds a one-line value is edited.
// Anything else (a flow mapping `{name: ..}`, a value folded over several lines, a block scalar)
// is reported with its line and the digest to add by hand, and the file is not written. Every
// edit is checked by parsing the new text again: each entry must read exactly as before apart
// from the digests written, or nothing is written.
import yaml from 'js-yaml';
import { readTagFileText } from './parse.js';
import type { ConfigProblem } from './problem.js';
import type { Occurrence } from './rules.js';

/** One digest to write: added after `src_build_tag:` when the entry has none, else replacing it. */
export interface DigestEdit {
  occurrence: Occurrence;
  digest: string;
}

export type EditOutcome = { ok: true; text: string } | { ok: false; problems: ConfigProblem[] };

interface Line {
  content: string;
  /** the line's own terminator: `\n`, `\r\n`, `\r`, or '' on a last line without one */
  eol: string;
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  return text.split(/(?<=\r\n|\r(?!\n)|\n)/).map((segment) => {
    const eol = /\r\n$|\r$|\n$/.exec(segment)?.[0] ?? '';
    return { content: segment.slice(0, segment.length - eol.length), eol };
  });
}

/** Spaces and `- ` markers before an entry's key: where its keys start (the new line's indent). */
function keyColumn(content: string): number {
  return /^[ ]*(?:-[ ]+)*/.exec(content)?.[0].length ?? 0;
}

/** `<lead>key: value  # comment` with the value's span, when the line is a one-key block line. */
function keyValueLine(content: string, key: string): { column: number; valueStart: number; valueEnd: number } | undefined {
  const pattern = new RegExp(`^([ ]*(?:-[ ]+)*)(?:${key}|"${key}"|'${key}')[ \\t]*:[ \\t]+`);
  const head = pattern.exec(content);
  if (head === null) return undefined;
  const valueStart = head[0].length;
  // The value ends before a ` #` comment; a quoted value may hold '#', so it ends at its quote.
  const rest = content.slice(valueStart);
  const quoted = /^"(?:[^"\\]|\\.)*"|^'(?:[^']|'')*'/.exec(rest)?.[0];
  const plain = quoted ?? rest.replace(/[ \t]+#.*$/, '').replace(/[ \t]+$/, '');
  return { column: head[1]?.length ?? 0, valueStart, valueEnd: valueStart + plain.length };
}

/** What a one-line YAML value reads as (failsafe: text as written), or undefined if it is not one. */
function scalarOf(text: string): string | undefined {
  try {
    const value: unknown = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA });
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function refusal(edit: DigestEdit, line: number, why: string): ConfigProblem {
  const { occurrence } = edit;
  return {
    file: occurrence.location.file,
    line,
    path: occurrence.path,
    image: occurrence.entry.name,
    message: `${why}; retag pin edits only block entries with one-line values, so add \`src_digest: ${edit.digest}\` by hand (nothing was written to this file)`,
  };
}

/** The replacement text for a line, or a problem saying why it cannot be edited safely. */
function editLine(lines: Line[], edit: DigestEdit, fileEol: string): { line: number; content: string } | ConfigProblem {
  const { occurrence } = edit;
  const entryLine = lines[occurrence.location.line - 1];
  const replacing = occurrence.entry.srcDigest !== undefined;
  const number = replacing ? (occurrence.digestLine ?? occurrence.location.line) : occurrence.sourceLine;
  const target = lines[number - 1];
  if (entryLine === undefined || target === undefined) return refusal(edit, occurrence.location.line, 'the entry could not be located');
  const key = replacing ? 'src_digest' : 'src_build_tag';
  const found = keyValueLine(target.content, key);
  if (found === undefined) {
    const flow = /^[ ]*(?:-[ ]+)*[[{]/.test(entryLine.content) || target.content.includes('{');
    return refusal(edit, number, flow ? 'the entry is written as a flow mapping ({...})' : `${key}: is not on a line of its own`);
  }
  if (found.column !== keyColumn(entryLine.content)) return refusal(edit, number, `${key}: is not aligned with the entry's other keys`);
  const value = target.content.slice(found.valueStart, found.valueEnd);
  const expected = replacing ? occurrence.entry.srcDigest : occurrence.entry.source;
  if (scalarOf(value) !== expected) return refusal(edit, number, `the ${key} value does not fit on its line`);
  if (replacing) {
    const quote = /^["']/.exec(value)?.[0] ?? '';
    const content = `${target.content.slice(0, found.valueStart)}${quote}${edit.digest}${quote}${target.content.slice(found.valueEnd)}`;
    return { line: number, content };
  }
  const eol = target.eol === '' ? fileEol : target.eol;
  return { line: number, content: `${target.content}${eol}${' '.repeat(found.column)}src_digest: ${edit.digest}` };
}

/** Each entry as the tag file says it, for comparing before and after an edit. */
function entryText(occurrence: Occurrence, digest: string | undefined): string {
  const { srcDigest, ...rest } = occurrence.entry;
  void srcDigest;
  return JSON.stringify({ ...rest, path: occurrence.path, digest });
}

/**
 * Writes the digests into `text`. `edits` come from readTagFileText(text, file) of this same text,
 * which must have no problems. All or nothing: any entry that cannot be edited safely refuses all.
 */
export function editDigests(text: string, file: string, edits: readonly DigestEdit[]): EditOutcome {
  if (edits.length === 0) return { ok: true, text };
  const lines = splitLines(text);
  const fileEol = lines.find((line) => line.eol !== '')?.eol ?? '\n';
  const problems: ConfigProblem[] = [];
  const replaced = new Map<number, string>();
  for (const edit of edits) {
    const result = editLine(lines, edit, fileEol);
    if ('message' in result) problems.push(result);
    else if (replaced.has(result.line)) problems.push(refusal(edit, result.line, 'two entries share this line'));
    else replaced.set(result.line, result.content);
  }
  if (problems.length > 0) return { ok: false, problems };
  const edited = lines.map((line, i) => `${replaced.get(i + 1) ?? line.content}${line.eol}`).join('');

  // The safety net: the new text must read as the old one with exactly these digests.
  const before = readTagFileText(text, file).occurrences;
  const after = readTagFileText(edited, file);
  const wanted = new Map(edits.map((edit) => [edit.occurrence.path + '@' + edit.occurrence.location.line, edit.digest]));
  const firstDiff = before.findIndex((occurrence, i) => {
    const now = after.occurrences[i];
    const digest = wanted.get(occurrence.path + '@' + occurrence.location.line) ?? occurrence.entry.srcDigest;
    return now === undefined || entryText(now, now.entry.srcDigest) !== entryText(occurrence, digest);
  });
  if (after.problems.length > 0 || after.occurrences.length !== before.length || firstDiff !== -1) {
    const at = before[firstDiff]?.location.line ?? after.problems[0]?.line;
    return {
      ok: false,
      problems: [
        {
          file,
          ...(at === undefined ? {} : { line: at }),
          message: 'the file would not read the same after adding src_digest (an unusual layout); nothing was written, add the digests by hand',
        },
      ],
    };
  }
  return { ok: true, text: edited };
}
