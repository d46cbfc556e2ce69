// The one top-level handler: parses argv, runs a command, maps every outcome to an exit code.
// The only place in retag that calls process.exit.

import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_IMAGES_FAILED, EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM, EXIT_USAGE, UsageError } from './exit-codes.js';
import { processIo, type CommandIo } from './io.js';
import { LOG_FORMATS, LOG_LEVELS, OUTPUT_FORMATS, type LogFormat, type LogLevel, type OutputFormat } from './choices.js';
import { tuneMemoryForRun } from './memory.js';
import { readPasswordFromStdin } from './password-stdin.js';
import { splitNames } from '../retag/select.js';

function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function positiveInteger(max: number) {
  return (value: string): number => {
    const parsed = /^[0-9]+$/.test(value) ? Number(value) : NaN; // not 1e1, 0x10 or 1.0
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}, got "${value}"`);
    }
    return parsed;
  };
}

/**
 * Commander echoes an unknown `--option=value` whole; when the option was a mistyped
 * `--password=...` that would print the secret into a CI log. Values after `=` are hidden.
 */
export function hideOptionValues(message: string): string {
  return message.replace(/('--?[\w-]+)=[^']*'/g, "$1=…'");
}

/** `--password VALUE` is refused by name, without echoing it: secrets come on stdin only. */
function refusePasswordArgument(args: string[]): void {
  if (args.some((arg) => /^--(password|pass|token)(=|$)/i.test(arg))) {
    throw new UsageError(
      'retag takes no password or token on the command line (ps and CI logs would show it); ' +
        'pipe it in: `echo "$PW" | retag apply --username NAME --password-stdin FILE`',
    );
  }
}

/** `retag validate "$FILE"` with FILE unset would otherwise read the current folder as a file. */
function refuseEmptyFileNames(files: string[]): void {
  if (files.some((file) => file.trim() === '')) throw new UsageError('an empty file name was given (an unset variable?); name the tag files');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const PROGRAM_EXAMPLES = `
Examples:
  $ retag validate tag-management/*.yaml
  $ retag apply --dry-run --output markdown stx.4.0-image-tags.yaml >> "$GITHUB_STEP_SUMMARY"
  $ retag apply stx.4.0-image-tags.yaml

Run \`retag help <command>\` (or \`retag <command> --help\`) for a command's options and examples.`;

const VALIDATE_EXAMPLES = `
Examples:
  $ retag validate stx.4.0-image-tags.yaml
  $ retag validate tag-files/*.yaml            # also checks that no two files ask for one tag from different builds
  $ retag validate --output json stx.4.0-image-tags.yaml | jq '.images[].tag'
  $ retag validate --output markdown tag-files/*.yaml > review-comment.md

Exit codes: 0 every file is valid; 2 a file is invalid (each problem is printed with file and line).`;

const APPLY_EXAMPLES = `
Examples:
  $ retag apply --dry-run stx.4.0-image-tags.yaml          # preview: HEAD requests only, writes nothing
  $ retag apply stx.4.0-image-tags.yaml                    # create the missing tags
  $ echo "$REGISTRY_PASSWORD" | retag apply --username ci-bot --password-stdin tags.yaml
  $ retag apply --insecure-registry registry.lab:5000 --output json tags.yaml > result.json
  $ retag apply --only 'docker.io/starlingx/*' --only k8s-cni-sriov tags.yaml
  $ retag apply --dry-run --fail-on-pending tags.yaml      # CI: exit 1 while a tag is still missing
  $ retag apply --dry-run --output markdown tags.yaml >> "$GITHUB_STEP_SUMMARY"
  $ retag apply --repush stx-snmp,k8s-cni-sriov tags.yaml  # move these tags to their src_build_tag
  $ HTTPS_PROXY=http://proxy.corp:3128 retag apply --ca-file corp-ca.pem tags.yaml

Statuses: created, updated (moved by --repush), pending (dry-run), exists (same digest, nothing
  written), conflict (the tag points elsewhere; never overwritten), missing-source, failed.
Exit codes: 0 all created/updated/pending/exists; 1 any conflict, missing-source or failed
  (or pending, with --fail-on-pending); 2 usage or tag-file error, or an --only/--repush
  pattern that matches no image (no registry contacted); 130 interrupted (143 on SIGTERM).
Credentials, first found wins: --username/--password-stdin; the docker config
  ($DOCKER_CONFIG/config.json or ~/.docker/config.json): credHelpers, credsStore, auths;
  $REGISTRY_AUTH_FILE or $XDG_RUNTIME_DIR/containers/auth.json.
Network: HTTPS_PROXY/HTTP_PROXY/NO_PROXY and NODE_EXTRA_CA_CERTS are honoured; CAs in
  /etc/docker/certs.d/<host[:port]>/*.crt are trusted for that registry, and client.cert +
  client.key there are presented to it (folder: $RETAG_CERTS_D). Loopback and --insecure-registry
  hosts: HTTPS without certificate checks first, plain HTTP if they do not speak TLS.
Logs: human lines when stderr is a terminal, JSON lines otherwise (--log-format).`;

interface ApplyFlags {
  dryRun?: boolean;
  dryrun?: boolean;
  concurrency: number;
  output: OutputFormat;
  logLevel: LogLevel;
  logFormat?: LogFormat;
  insecureRegistry: string[];
  requestTimeout: number;
  username?: string;
  passwordStdin?: boolean;
  only?: string[];
  repush?: string[];
  failOnPending?: boolean;
  caFile?: string;
  tlsVerify: boolean;
}

export interface MainDependencies {
  io?: CommandIo;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** for tests: a signal in place of the process's SIGINT/SIGTERM handling (no new image starts) */
  signal?: AbortSignal;
  /** aborts the requests still in flight (main() fires it a grace period after the signal) */
  abortSignal?: AbortSignal;
  /** for tests: where logs go instead of stderr */
  logDestination?: NodeJS.WritableStream;
}

/** Runs the CLI and returns the exit code; main() is the process wrapper around it. */
export async function run(argv: string[], deps: MainDependencies = {}): Promise<number> {
  const io = deps.io ?? processIo;
  let exitCode = EXIT_OK;
  const program = new Command('retag')
    .description(
      'Pin container image tags from reviewed YAML tag files: for each image, copy the manifest of ' +
        'src_build_tag to tag on the registry itself (no layers pulled), never overwriting a tag.',
    )
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(hideOptionValues(s)),
    })
    .addHelpText('after', PROGRAM_EXAMPLES);

  const outputOption = () => new Option('--output <format>', 'report format (markdown: a table for a review comment or step summary)').choices(OUTPUT_FORMATS).default('text');

  program
    .command('validate')
    .description('check tag files (schema, tag grammar, duplicates and cross-file conflicts); contacts no registry')
    .argument('<file...>', 'tag files (YAML, one or more documents each)')
    .addOption(outputOption())
    .addHelpText('after', VALIDATE_EXAMPLES)
    .action(async (files: string[], flags: { output: OutputFormat }) => {
      refuseEmptyFileNames(files);
      const { validateCommand } = await import('./commands/validate.js');
      exitCode = await validateCommand({ files, output: flags.output, cwd: deps.cwd, io });
    });

  program
    .command('apply')
    .description('create every missing tag from its src_build_tag; --dry-run previews without writing')
    .argument('<file...>', 'tag files (YAML, one or more documents each)')
    .option('--dry-run', 'report what would be created; HEAD requests only, nothing written')
    .option('--dryrun', 'the same as --dry-run (retag-images.sh spelling)')
    .option('--only <pattern>', "only images whose name as written matches (* = any characters) or whose last path component is PATTERN (repeatable)", collect)
    .option('--repush <name[,name...]>', 'move these images\' existing tags to their src_build_tag digest (status updated); same matching as --only (repeatable)', collect)
    .option('--fail-on-pending', 'exit 1 when any tag is still pending (a dry-run in CI that must find nothing to do)')
    .option('--concurrency <n>', 'images processed at once', positiveInteger(64), 8)
    .addOption(outputOption())
    .addOption(new Option('--log-level <level>', 'log detail on stderr (debug shows each request)').choices(LOG_LEVELS).default('warn'))
    .addOption(new Option('--log-format <format>', 'json lines, or pretty human lines (default: pretty on a terminal, json otherwise)').choices(LOG_FORMATS))
    .option('--insecure-registry <host[:port]>', 'no certificate checks for this registry, and plain HTTP if it does not speak TLS (repeatable); loopback hosts always', collect, [])
    .option('--request-timeout <seconds>', 'give up on a request with no answer after this long', positiveInteger(3600), 30)
    .option('--ca-file <file>', 'PEM CA certificates trusted for every registry, on top of the system ones')
    .option('--tls-verify <bool>', 'false: do not check TLS certificates of any registry (test registries only; skopeo\'s flag)', tlsVerifyValue, true)
    .option('--username <name>', 'registry user name, with --password-stdin')
    .option('--password-stdin', 'read the password or token from standard input (never from argv)')
    .addHelpText('after', APPLY_EXAMPLES)
    .action(async (files: string[], flags: ApplyFlags) => {
      if ((flags.username === undefined) !== (flags.passwordStdin === undefined)) {
        throw new UsageError('--username and --password-stdin go together: pipe the password in, e.g. `echo "$PW" | retag apply --username me --password-stdin FILE`');
      }
      refuseEmptyFileNames(files);
      const notHost = flags.insecureRegistry.find((value) => !/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$/.test(value));
      if (notHost !== undefined) {
        throw new UsageError(`--insecure-registry takes HOST or HOST:PORT as in image names (registry.lab:5000), not "${notHost.slice(0, 100)}"`);
      }
      if (flags.repush !== undefined && splitNames(flags.repush).length < flags.repush.length) {
        throw new UsageError('--repush was given without an image name; give --repush NAME[,NAME...]');
      }
      const password = flags.passwordStdin ? await readPasswordFromStdin() : undefined;
      const { applyCommand } = await import('./commands/apply.js');
      exitCode = await applyCommand({
        files,
        dryRun: flags.dryRun === true || flags.dryrun === true,
        concurrency: flags.concurrency,
        output: flags.output,
        logLevel: flags.logLevel,
        logFormat: flags.logFormat,
        only: flags.only ?? [],
        repush: splitNames(flags.repush ?? []),
        failOnPending: flags.failOnPending === true,
        caFile: flags.caFile,
        tlsVerify: flags.tlsVerify,
        insecureRegistries: flags.insecureRegistry,
        requestTimeoutMs: flags.requestTimeout * 1000,
        username: flags.username,
        password,
        cwd: deps.cwd,
        env: deps.env,
        io,
        signal: deps.signal,
        abortSignal: deps.abortSignal,
        logDestination: deps.logDestination,
      });
    });

  try {
    refusePasswordArgument(argv.slice(2));
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`retag: ${error.message}\n`);
      return EXIT_USAGE;
    }
    // A bug, not a user error: say so plainly, without a stack trace unless asked for.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`retag: unexpected error: ${message}\n`);
    if (process.env.RETAG_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_IMAGES_FAILED;
  }
}

/** --tls-verify=false or --tls-verify false (skopeo's spelling); true and false only. */
function tlsVerifyValue(value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidArgumentError('give true or false, as in --tls-verify=false');
}

/** How long requests in flight may take to finish after SIGINT/SIGTERM before they are aborted. */
export const INTERRUPT_GRACE_MS = 5_000;
/** After the abort, how long the report may take before the process exits regardless. */
const INTERRUPT_HARD_STOP_MS = 5_000;

/**
 * The process entry (bin/retag.js). The first SIGINT/SIGTERM stops new images from starting and
 * lets requests in flight finish (a manifest PUT is atomic: a tag is written whole or not at
 * all); after INTERRUPT_GRACE_MS they are aborted. The run then reports what was done and exits
 * 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once.
 */
export function main(argv: string[]): void {
  tuneMemoryForRun(); // process-wide V8 settings, before the command's modules load (see memory.ts)
  const stop = new AbortController();
  const abort = new AbortController();
  // A reader that goes away (`retag apply --output json | head`) is not retag's failure: no crash.
  // Any other write error (a full disk under `> result.json`) is: the report is lost, exit 1.
  let outputLost = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || outputLost) return;
    outputLost = true;
    process.stderr.write(`retag: the report could not be written to standard output (${error.code ?? error.message})\n`);
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') outputLost = true;
  });
  // One abort listener per request in flight: --concurrency above 10 is not a leak.
  setMaxListeners(0, stop.signal, abort.signal);
  let signalExit: number | undefined;
  const onSignal = (code: number) => () => {
    if (signalExit !== undefined) process.exit(code); // a second signal: stop now
    signalExit = code;
    process.stderr.write(
      `retag: interrupted; starting no new image, waiting up to ${INTERRUPT_GRACE_MS / 1000} s for requests in flight ` +
        '(signal again to stop at once)\n',
    );
    stop.abort();
    setTimeout(() => abort.abort(), INTERRUPT_GRACE_MS).unref();
    setTimeout(() => process.exit(code), INTERRUPT_GRACE_MS + INTERRUPT_HARD_STOP_MS).unref();
  };
  process.on('SIGINT', onSignal(EXIT_SIGINT));
  process.on('SIGTERM', onSignal(EXIT_SIGTERM));
  const finish = (code: number) => exitAfterOutput(() => (outputLost && code === EXIT_OK ? EXIT_IMAGES_FAILED : code));
  run(argv, { signal: stop.signal, abortSignal: abort.signal }).then(
    (code) => finish(signalExit ?? code),
    () => finish(signalExit ?? EXIT_IMAGES_FAILED),
  );
}

/**
 * stdout and stderr to a pipe are written asynchronously: exiting at once cut a 2,000-image JSON
 * report at 64 KiB (`retag apply --output json | jq`). Exit once both have been handed over.
 */
function exitAfterOutput(code: () => number): void {
  const flushed = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (stream.destroyed) resolve();
      else stream.write('', () => resolve()); // called with an error too, e.g. EPIPE
    });
  void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code()));
}
