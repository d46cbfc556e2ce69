// Every command of the program, in the order `retag --help` lists them. A new command is a
// `<name>-definition.ts` beside these and one line here.
import { applyDefinition } from './apply-definition.js';
import type { CommandDefinition } from './definition.js';
import { schemaDefinition, versionDefinition } from './info-definitions.js';
import { pinDefinition } from './pin-definition.js';
import { refsDefinition } from './refs-definition.js';
import { validateDefinition } from './validate-definition.js';

export const COMMANDS: readonly CommandDefinition[] = [validateDefinition, applyDefinition, pinDefinition, refsDefinition, schemaDefinition, versionDefinition];
