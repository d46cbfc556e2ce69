// pino on stderr: stdout belongs to the report. Secrets are redacted at the logger as a second
// line of defence; the first is that no credential is ever put into a log call (Secret, redactUrl).
// Two formats: JSON lines (pino's own, for CI log collectors) and a short human line for a
// terminal. The human one is a few lines below rather than pino-pretty: pino-pretty is a
// transport with a worker thread and a dozen dependencies for what is a one-line format here.

import { pino, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './choices.js';

export { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './choices.js';

const SECRET_KEYS = ['authorization', 'password', 'auth', 'identitytoken', 'token', 'access_token', 'refresh_token', 'secret'];
const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** One pino JSON line -> `12:03:04 WARN  message key=value ...`; anything unparseable passes through. */
export function prettyLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, msg, ...fields } = record;
  const clock = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const name = (typeof level === 'number' ? LEVEL_NAMES[level] : undefined) ?? String(level);
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${formatValue(value)}`);
  return `${[clock, name.padEnd(5), String(msg ?? ''), ...rest].filter((part) => part !== '').join(' ')}\n`;
}

/** Where log lines go: stderr, a test's stream, or anything with write(). */
export interface LogDestination {
  write(line: string): unknown;
}

export function createLogger(level: LogLevel, destination: LogDestination = process.stderr, format: LogFormat = 'json'): Logger {
  const stream = { write: (line: string) => void destination.write(format === 'pretty' ? prettyLine(line) : line) };
  return pino(
    {
      level,
      base: undefined, // no pid/hostname noise in a CLI's log
      redact: {
        paths: [...SECRET_KEYS, ...SECRET_KEYS.map((key) => `*.${key}`), ...SECRET_KEYS.map((key) => `*.*.${key}`)],
        censor: '[REDACTED]',
      },
    },
    stream,
  );
}
