// `retag validate -`: a tag file piped in (`git show origin/main:tags.yaml | retag validate -`).
import { MAX_TAG_FILE_BYTES } from '../config/index.js';

/** Reads standard input whole, stopping one byte past the tag-file limit (the loader reports the size). */
export async function readStdinBytes(stdin: NodeJS.ReadableStream = process.stdin): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    size += buffer.length;
    if (size > MAX_TAG_FILE_BYTES) break;
  }
  return Buffer.concat(chunks);
}
