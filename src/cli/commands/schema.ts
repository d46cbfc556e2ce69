// `retag schema`: the tag file's JSON Schema, as shipped in schema/tag-file.schema.json (written
// by the build from the zod schema). Generated on the spot when the file is not there (a
// checkout run from its sources).
import { readFile } from 'node:fs/promises';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandContext } from '../context.js';

export const SHIPPED_SCHEMA = new URL('../../../schema/tag-file.schema.json', import.meta.url);

export async function schemaCommand({ context }: { context: CommandContext }): Promise<number> {
  let text: string;
  try {
    text = await readFile(SHIPPED_SCHEMA, 'utf8');
  } catch {
    const { tagFileJsonSchemaText } = await import('../../config/json-schema.js');
    text = tagFileJsonSchemaText();
  }
  context.io.stdout.write(text);
  return EXIT_OK;
}
