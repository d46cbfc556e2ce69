// The --output, --log-level and --log-format choices, apart from render.ts and logger.ts so that
// parsing argv (and `retag --help`) loads neither the tag-file parser (zod, js-yaml) nor pino:
// main.ts imports only what every command needs.
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** human: `12:03:04 WARN  message key=value`; json: pino's lines, for a log collector */
export const LOG_FORMATS = ['human', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `human` or `json`; `pretty` is the spelling of retag 0.1. Undefined for anything else. */
export function logFormatNamed(value: string): LogFormat | undefined {
  if (value === 'pretty') return 'human';
  return (LOG_FORMATS as readonly string[]).includes(value) ? (value as LogFormat) : undefined;
}
