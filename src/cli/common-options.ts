// Options several commands share, declared once.
import { InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, OUTPUT_FORMATS, logFormatNamed, type LogFormat } from './choices.js';
import { choice, custom } from './options.js';

export const outputOption = () =>
  choice('-o, --output <format>', 'report format (markdown: a table for a review comment or step summary)', OUTPUT_FORMATS, 'text');

export const logLevelOption = () => choice('--log-level <level>', 'log detail on stderr (info: a line per image; debug: each request)', LOG_LEVELS, 'warn');

export const logFormatOption = () =>
  custom<LogFormat | undefined>(
    new Option('--log-format <format>', 'log lines on stderr: human (`12:03:04 WARN  message key=value`) or json (pino); default: $RETAG_LOG_FORMAT, else human').argParser(
      (value: string) => {
        const format = logFormatNamed(value);
        if (format === undefined) throw new InvalidArgumentError('expected human or json');
        return format;
      },
    ),
  );
