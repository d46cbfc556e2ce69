// Options several commands share, declared once.
import { InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, OUTPUT_FORMATS, logFormatNamed, type LogFormat } from './choices.js';
import { choice, custom, flag, integer, repeatable, text } from './options.js';

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

/** --tls-verify=false or --tls-verify false (skopeo's spelling); true and false only. */
function tlsVerifyValue(value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidArgumentError('give true or false, as in --tls-verify=false');
}

/** How to reach registries and with which credentials: every command that contacts one takes these. */
export const registryOptions = () => ({
  insecureRegistry: repeatable(
    '--insecure-registry <host[:port]>',
    'no certificate checks for this registry, and plain HTTP if it does not speak TLS (repeatable); loopback hosts always',
  ),
  requestTimeout: integer('--request-timeout <seconds>', 'give up on a request with no answer after this long (each step: connect, proxy, TLS, headers, body)', 3600, 30),
  caFile: text('--ca-file <file>', 'PEM CA certificates trusted for every registry, on top of the system ones'),
  tlsVerify: custom<boolean>(
    new Option('--tls-verify <bool>', "false: check no registry's TLS certificate (test registries only; skopeo's flag)").argParser(tlsVerifyValue).default(true),
  ),
  username: text('--username <name>', 'registry user name, with --password-stdin; sent to one registry only (--registry)'),
  passwordStdin: flag('--password-stdin', 'read the password or token from standard input (never from argv)'),
  registry: text('--registry <host[:port]>', 'the registry --username/--password-stdin are for; needed when the images are on several'),
  authfile: text('--authfile <file>', 'auth file (docker config.json or containers auth.json, e.g. from `skopeo login --authfile`), read first'),
});

export const requireDigestOption = () =>
  flag('--require-digest', 'every entry must pin its source with src_digest (exit 2 naming those that do not; `retag pin` writes them)');
