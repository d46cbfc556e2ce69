// pino on stderr: stdout belongs to the report. Secrets are redacted at the logger as a second
// line of defence; the first is that no credential is ever put into a log call (Secret, redactUrl).

import { pino, type Logger } from 'pino';
import type { LogLevel } from './log-levels.js';

export { LOG_LEVELS, type LogLevel } from './log-levels.js';

const SECRET_KEYS = ['authorization', 'password', 'auth', 'identitytoken', 'token', 'access_token', 'refresh_token', 'secret'];

export function createLogger(level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: undefined, // no pid/hostname noise in a CLI's log
      redact: {
        paths: [...SECRET_KEYS, ...SECRET_KEYS.map((key) => `*.${key}`), ...SECRET_KEYS.map((key) => `*.*.${key}`)],
        censor: '[REDACTED]',
      },
    },
    destination,
  );
}
