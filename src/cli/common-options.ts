// Options several commands share, declared once.
import { Option } from 'commander';
import { LOG_FORMATS, LOG_LEVELS, OUTPUT_FORMATS, type LogFormat } from './choices.js';
import { choice, custom } from './options.js';

export const outputOption = () =>
  choice('-o, --output <format>', 'report format (markdown: a table for a review comment or step summary)', OUTPUT_FORMATS, 'text');

export const logLevelOption = () => choice('--log-level <level>', 'log detail on stderr (debug shows each request)', LOG_LEVELS, 'warn');

export const logFormatOption = () =>
  custom<LogFormat | undefined>(
    new Option('--log-format <format>', 'json lines, or pretty human lines (default: pretty on a terminal, json otherwise)').choices(LOG_FORMATS),
  );
