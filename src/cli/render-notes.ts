// What a reader must know beyond an image's status, and the same note said once when many images
// share it: a registry that is down is one line for its 60 images, not 60 lines.
import type { ImageResult } from '../retag/types.js';

/** Why, or what --repush did. */
export function notesOf(result: ImageResult): string[] {
  const out: string[] = [];
  if (result.status === 'conflict') out.push(`tag already points at ${result.existingDigest}; retag never overwrites it (--repush to move it)`);
  if (result.status === 'pending' && result.existingDigest) out.push(`--repush: would move the tag from ${result.existingDigest}`);
  if (result.status === 'updated') out.push(`--repush: moved the tag from ${result.existingDigest}`);
  if (result.error) out.push(result.error);
  return out;
}

export interface SharedNote {
  /** 1-based, in order of first appearance: `[1]` */
  number: number;
  note: string;
  images: number;
}

export interface NotedResult {
  result: ImageResult;
  /** notes of this image alone, shown under its row */
  own: string[];
  /** numbers of the shared notes that apply to it */
  shared: number[];
}

/** Splits notes into those of one image and those several images share (numbered). */
export function groupNotes(results: readonly ImageResult[]): { rows: NotedResult[]; shared: SharedNote[] } {
  const counts = new Map<string, number>();
  const notes = results.map(notesOf);
  for (const list of notes) for (const note of new Set(list)) counts.set(note, (counts.get(note) ?? 0) + 1);
  const numbers = new Map<string, number>();
  const shared: SharedNote[] = [];
  const rows = results.map((result, i) => {
    const own: string[] = [];
    const refs: number[] = [];
    for (const note of notes[i]!) {
      const images = counts.get(note) ?? 0;
      if (images < 2) {
        own.push(note);
        continue;
      }
      let number = numbers.get(note);
      if (number === undefined) {
        number = shared.length + 1;
        numbers.set(note, number);
        shared.push({ number, note, images });
      }
      refs.push(number);
    }
    return { result, own, shared: refs };
  });
  return { rows, shared };
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The line that replaces the rows of the images an interrupt kept from starting. */
export function notStartedLine(count: number): string {
  return `${plural(count, 'image')} not started; rerun to finish`;
}

/** The line that replaces the `exists` rows under --changes. */
export function unchangedLine(count: number): string {
  return `${plural(count, 'image')} already tagged (exists), not listed (--changes)`;
}
