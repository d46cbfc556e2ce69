// pino on stderr: stdout belongs to the report. Secrets are redacted at the logger as a second
// line of defence; the first is that no credential is ever put into a log call (Secret, redactUrl).
// Two formats: a short human line (the default: CI consoles are read by people) and pino's JSON
// lines (--log-format json, for log collectors). The human one is a pino destination of a few
// lines rather than pino-pretty, which is a transport with a worker thread and a dozen
// dependencies for what is a one-line format here.

import { pino, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './choices.js';

export { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './choices.js';

const SECRET_KEYS = ['authorization', 'password', 'auth', 'identitytoken', 'token', 'access_token', 'refresh_token', 'secret'];
const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<number, string> = { 10: '\x1b[2m', 20: '\x1b[2m', 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/**
 * One pino JSON line -> `12:03:04 WARN  message key=value ...` (UTC clock); anything unparseable
 * passes through. With colour, the level name is coloured (a terminal without NO_COLOR only).
 */
export function prettyLine(line: string, colour = false): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, msg, ...fields } = record;
  const clock = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const padded = ((typeof level === 'number' ? LEVEL_NAMES[level] : undefined) ?? String(level)).padEnd(5);
  const tint = colour && typeof level === 'number' ? LEVEL_COLOURS[level] : undefined;
  const name = tint === undefined ? padded : `${tint}${padded}\x1b[0m`;
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${formatValue(value)}`);
  return `${[clock, name, String(msg ?? ''), ...rest].filter((part) => part !== '').join(' ')}\n`;
}

/** Where log lines go: stderr, a test's stream, or anything with write(). */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** colour the level name of human lines */
  colour?: boolean;
  destination?: LogDestination;
}

export function createLogger({ level, format, colour = false, destination = process.stderr }: LoggerOptions): Logger {
  const stream = { write: (line: string) => void destination.write(format === 'human' ? prettyLine(line, colour) : line) };
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
