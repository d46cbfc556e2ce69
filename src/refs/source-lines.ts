// A file's lines as the scanners read them. For a unified diff (`.patch`, `.diff`) only the new
// text counts: `+` lines and context lines, their one-character prefix removed; `-` lines are the
// old text and are not references. Hunk and file headers are breaks: a YAML mapping never
// continues across them. Pure.

export type LineKind = 'text' | 'added' | 'context';

export interface SourceLine {
  kind: LineKind;
  /** 0-based line number in the file */
  index: number;
  /** the line without its diff prefix and without a trailing \r */
  text: string;
  /** characters removed at the start (the diff prefix): text[i] is the file's line[i + offset] */
  offset: number;
  /** in a patch: the file the hunk changes (`+++ b/path`), for its comment syntax */
  patchedFile?: string;
}

export interface LineBreak {
  kind: 'break';
  patchedFile?: string;
}

export type LineEvent = SourceLine | LineBreak;

export function isDiffFile(path: string): boolean {
  return /\.(patch|diff|debdiff)$/i.test(path);
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

export function* sourceLines(lines: readonly string[], diff: boolean): Generator<LineEvent> {
  if (!diff) {
    for (let index = 0; index < lines.length; index++) yield { kind: 'text', index, text: withoutCr(lines[index] ?? ''), offset: 0 };
    return;
  }
  // Counting the hunk's lines (from its header) tells a removed `---` YAML separator (`----`)
  // or a removed `-- x` from the next file's `--- a/path` header.
  let oldLeft = 0;
  let newLeft = 0;
  let patchedFile: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = withoutCr(lines[index] ?? '');
    if (oldLeft > 0 || newLeft > 0) {
      const mark = line[0];
      if (mark === '-') {
        oldLeft--;
        continue;
      }
      if (mark === '\\') continue; // "\ No newline at end of file"
      if (mark === '+') {
        newLeft--;
        yield { kind: 'added', index, text: line.slice(1), offset: 1, patchedFile };
        continue;
      }
      if (mark === ' ' || line === '') {
        // a blank context line may have lost its space to an editor
        oldLeft--;
        newLeft--;
        yield { kind: 'context', index, text: line.slice(1), offset: line === '' ? 0 : 1, patchedFile };
        continue;
      }
      oldLeft = 0; // a malformed hunk: treat what follows as headers or text
      newLeft = 0;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      yield { kind: 'break', patchedFile };
      continue;
    }
    if (line.startsWith('+++ ')) {
      patchedFile = line.slice(4).replace(/\t.*$/, '').replace(/^b\//, '');
      yield { kind: 'break', patchedFile };
      continue;
    }
    if (line.startsWith('diff ') || line.startsWith('--- ') || line.startsWith('index ')) {
      yield { kind: 'break', patchedFile };
      continue;
    }
    // the commit message and mail headers of `git format-patch` output: plain text
    yield { kind: 'text', index, text: line, offset: 0 };
  }
}
