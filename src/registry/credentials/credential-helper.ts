// Docker credential helpers: `docker-credential-<name> get`, the server URL on stdin, a JSON
// answer `{"ServerURL","Username","Secret"}` on stdout.
// https://github.com/docker/docker-credential-helpers#development (the protocol)
// https://docs.docker.com/reference/cli/docker/login/#credential-helpers
// A helper that knows nothing of the server exits non-zero and says "credentials not found";
// that is "no credential here", not an error. Anything else is an error naming the helper, never
// the secret (a helper's output is never put into a message: it may hold the secret).

import { spawn } from 'node:child_process';
import { z } from 'zod';
import { RegistryError } from '../errors.js';
import { Secret } from '../secret.js';
import type { Credential } from './types.js';

/** A helper may prompt (a locked keychain): never wait for it forever. */
export const HELPER_TIMEOUT_MS = 15_000;
const MAX_OUTPUT_BYTES = 64 * 1024;

// https://github.com/docker/docker-credential-helpers/blob/master/credentials/credentials.go
const HelperAnswerSchema = z.object({
  ServerURL: z.string().optional(),
  Username: z.string().optional(),
  Secret: z.string(),
});

/** `Username: "<token>"` marks an identity token (docker/cli's tokenUsername). */
const IDENTITY_TOKEN_USERNAME = '<token>';

export interface HelperOptions {
  /** the environment the helper runs in; its PATH finds the executable */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface HelperRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: NodeJS.ErrnoException;
}

function runHelper(executable: string, serverUrl: string, options: HelperOptions): Promise<HelperRun> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (run: HelperRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(run);
    };
    const child = spawn(executable, ['get'], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
      // a grandchild (a shell helper's own child) may still hold the pipes open: stop waiting now
      child.stdout.destroy();
      child.stderr.destroy();
      finish({ code: null, stdout, stderr, timedOut });
    }, options.timeoutMs ?? HELPER_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT_BYTES) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT_BYTES) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => finish({ code: null, stdout, stderr, timedOut, spawnError: error }));
    child.on('close', (code) => finish({ code, stdout, stderr, timedOut }));
    child.stdin.on('error', () => undefined); // a helper that exits without reading stdin
    child.stdin.end(serverUrl);
  });
}

/**
 * Asks `docker-credential-<helper>` for the server's credential: a Credential, undefined when the
 * helper has none, or a RegistryError naming the helper and `configLabel`.
 */
export async function helperCredential(
  helper: string,
  serverUrl: string,
  registry: string,
  configLabel: string,
  options: HelperOptions,
): Promise<Credential | undefined> {
  const executable = `docker-credential-${helper}`;
  const fail = (why: string) =>
    new RegistryError(`${registry}: credential helper ${executable} (named in ${configLabel}) ${why}`, {
      code: 'UNAUTHORIZED',
      status: 0,
      registry,
    });
  const run = await runHelper(executable, serverUrl, options);
  if (run.spawnError) {
    if (run.spawnError.code === 'ENOENT') {
      throw fail('is not on PATH; install it or remove it from the config');
    }
    throw fail(`could not be started (${run.spawnError.code ?? 'error'})`);
  }
  if (run.timedOut) throw fail(`gave no answer in ${Math.round((options.timeoutMs ?? HELPER_TIMEOUT_MS) / 1000)} s (a locked keychain waiting for a password?)`);
  if (run.code !== 0) {
    // The helper protocol's "not found" is a message on stdout, not an exit code of its own.
    if (/credentials not found/i.test(`${run.stdout}\n${run.stderr}`)) return undefined;
    throw fail(`exited with code ${run.code}; run \`echo ${serverUrl} | ${executable} get\` to see why`);
  }
  let answer: z.infer<typeof HelperAnswerSchema>;
  try {
    const parsed = HelperAnswerSchema.safeParse(JSON.parse(run.stdout));
    if (!parsed.success) throw new Error('unexpected shape');
    answer = parsed.data;
  } catch {
    throw fail('answered something that is not {"ServerURL","Username","Secret"} JSON');
  }
  if (answer.Secret === '') return undefined;
  if (answer.Username === IDENTITY_TOKEN_USERNAME) {
    return { kind: 'identity-token', token: new Secret(answer.Secret) };
  }
  if (!answer.Username) throw fail('answered a secret without a user name');
  return { kind: 'basic', username: answer.Username, password: new Secret(answer.Secret) };
}
