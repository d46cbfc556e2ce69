// Which log format a run uses: --log-format, else $RETAG_LOG_FORMAT (set once for a CI job),
// else human lines. A wrong variable is a usage error, not silently ignored.
import { logFormatNamed, type LogFormat } from './choices.js';
import { UsageError } from './exit-codes.js';

export function resolveLogFormat(flag: LogFormat | undefined, env: NodeJS.ProcessEnv): LogFormat {
  if (flag !== undefined) return flag;
  const value = env.RETAG_LOG_FORMAT;
  if (value === undefined || value === '') return 'human';
  const format = logFormatNamed(value);
  if (format === undefined) throw new UsageError(`RETAG_LOG_FORMAT is "${value.slice(0, 40)}"; set it to human or json, or unset it`);
  return format;
}
