// `retag apply`: its options, declared once. The action hands the typed flags to applyCommand,
// whose pre-flight (apply-preflight.ts) checks them.
import { logFormatOption, logLevelOption, outputOption } from '../common-options.js';
import { APPLY_EXAMPLES } from '../help-text.js';
import { InvalidArgumentError, Option } from 'commander';
import { addOptions, custom, flag, integer, repeatable, text, type FlagsOf } from '../options.js';
import type { CommandDefinition } from './definition.js';

/** --tls-verify=false or --tls-verify false (skopeo's spelling); true and false only. */
function tlsVerifyValue(value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidArgumentError('give true or false, as in --tls-verify=false');
}

export const APPLY_OPTIONS = {
  dryRun: flag('-n, --dry-run', 'report what would be created; HEAD requests only, nothing written'),
  dryrun: flag('--dryrun', 'the same as --dry-run (retag-images.sh spelling)'),
  only: repeatable(
    '--only <pattern>',
    'only images whose name as written matches (* = any characters) or whose last path component is PATTERN (repeatable)',
  ),
  repush: repeatable(
    '--repush <name[,name...]>',
    "move these images' existing tags to their src_build_tag digest (status updated); same matching as --only (repeatable)",
  ),
  failOnPending: flag('--fail-on-pending', 'exit 1 when any tag is still pending (a dry-run in CI that must find nothing to do)'),
  concurrency: integer('--concurrency <n>', 'images processed at once', 64, 8),
  output: outputOption(),
  logLevel: logLevelOption(),
  logFormat: logFormatOption(),
  insecureRegistry: repeatable(
    '--insecure-registry <host[:port]>',
    'no certificate checks for this registry, and plain HTTP if it does not speak TLS (repeatable); loopback hosts always',
  ),
  requestTimeout: integer('--request-timeout <seconds>', 'give up on a request with no answer after this long', 3600, 30),
  caFile: text('--ca-file <file>', 'PEM CA certificates trusted for every registry, on top of the system ones'),
  tlsVerify: custom<boolean>(
    new Option('--tls-verify <bool>', "false: check no registry's TLS certificate (test registries only; skopeo's flag)").argParser(tlsVerifyValue).default(true),
  ),
  username: text('--username <name>', 'registry user name, with --password-stdin; sent to one registry only (--registry)'),
  passwordStdin: flag('--password-stdin', 'read the password or token from standard input (never from argv)'),
  registry: text('--registry <host[:port]>', 'the registry --username/--password-stdin are for; needed when the images are on several'),
  authfile: text('--authfile <file>', 'auth file (docker config.json or containers auth.json, e.g. from `skopeo login --authfile`), read first'),
};
export type ApplyFlags = FlagsOf<typeof APPLY_OPTIONS>;

export const applyDefinition: CommandDefinition = {
  register(program, context, done) {
    const command = program
      .command('apply')
      .description('create every missing tag from its src_build_tag; --dry-run previews without writing')
      .argument('<file...>', 'tag files (YAML, one or more documents each)');
    addOptions(command, APPLY_OPTIONS)
      .addHelpText('after', APPLY_EXAMPLES)
      .action(async (files: string[], flags: ApplyFlags) => {
        const { applyCommand } = await import('./apply.js');
        done(await applyCommand({ files, flags, context }));
      });
  },
};
