// The --output, --log-level and --log-format choices, apart from render.ts and logger.ts so that
// parsing argv (and `retag --help`) loads neither the tag-file parser (zod, js-yaml) nor pino:
// main.ts imports only what every command needs.
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
