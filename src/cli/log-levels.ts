// The --log-level and --log-format choices, apart from logger.ts so that parsing argv (and `retag --help`,
// `retag validate`) never loads pino: main.ts imports only what every command needs.
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
