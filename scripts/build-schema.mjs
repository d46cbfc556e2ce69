// Part of `npm run build`: writes schema/tag-file.schema.json from the freshly built zod schema
// (src/config/json-schema.ts), so the shipped JSON Schema is always the one retag checks with.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tagFileJsonSchemaText } from '../dist/config/json-schema.js';

mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
writeFileSync(new URL('../schema/tag-file.schema.json', import.meta.url), tagFileJsonSchemaText());
