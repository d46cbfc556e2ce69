// retag's version, from the package.json shipped beside dist/ (one source of truth).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    cached = (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    cached = '0.0.0';
  }
  return cached;
}

/** The version of the JSON report's shape: raised when a field is removed or changes meaning. */
export const REPORT_SCHEMA_VERSION = 1;

/** The first fields of every JSON report: which retag wrote it, in which shape, for which command. */
export function reportHeader(command: string): { version: string; schemaVersion: number; command: string } {
  return { version: packageVersion(), schemaVersion: REPORT_SCHEMA_VERSION, command };
}
