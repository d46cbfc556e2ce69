// Two ways to run retag in tests: in-process through run() (fast, output captured) and as the
// real `node bin/retag.js` process (argv, stdin, exit code and signals exactly as a user sees them).

import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(PROJECT_ROOT, 'bin', 'retag.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** pino lines (in-process runs only; for spawned runs they are in stderr) */
  logs: string;
  /**
   * In-process runs: whatever reached process.stdout, process.stderr or console during the run
   * other than through the CLI's own streams (a stray console.error, a helper's output passed
   * on). A user would see it; tests about output search it too. Spawned runs: always ''.
   */
  processOutput: string;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const;

/** Captures process.stdout/stderr writes and console calls until the returned function is called. */
let capturing: { text: string; users: number; restore: () => void } | undefined;
function captureProcessOutput(): () => string {
  if (!capturing) {
    const state = { text: '', users: 0, restore: () => {} };
    const stdoutWrite = process.stdout.write;
    const stderrWrite = process.stderr.write;
    const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
    const take = (chunk: unknown): boolean => {
      state.text += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
      return true;
    };
    process.stdout.write = take as typeof process.stdout.write;
    process.stderr.write = take as typeof process.stderr.write;
    for (const method of CONSOLE_METHODS) console[method] = (...args: unknown[]) => void take(`${args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')}\n`);
    state.restore = () => {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      for (const [method, original] of saved) console[method] = original;
    };
    capturing = state;
  }
  const state = capturing;
  const from = state.text.length;
  state.users += 1;
  return () => {
    const text = state.text.slice(from);
    state.users -= 1;
    if (state.users === 0) {
      state.restore();
      capturing = undefined;
    }
    return text;
  };
}

export async function runInProcess(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let logs = '';
  const logDestination = new PassThrough();
  logDestination.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
  const stopCapture = captureProcessOutput();
  let code: number;
  let processOutput: string;
  try {
    code = await run(['node', 'retag', ...args], {
      io: { stdout: { write: (s) => void (stdout += s) }, stderr: { write: (s) => void (stderr += s) } },
      cwd: options.cwd,
      // Tests read the logs as JSON; the default (human lines) has tests of its own.
      env: { RETAG_LOG_FORMAT: 'json', ...(options.env ?? process.env) },
      logDestination,
    });
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    processOutput = stopCapture();
  }
  return { code, stdout, stderr, logs, processOutput };
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** a file to send stdout to instead of a pipe (e.g. /dev/full) */
  stdoutTo?: string;
  /** called once the process is running, e.g. to send it a signal */
  onStart?: (pid: number) => void;
}

export function runBinary(args: string[], options: SpawnOptions = {}): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', RETAG_LOG_FORMAT: 'json', ...options.env },
      stdio: ['pipe', options.stdoutTo === undefined ? 'pipe' : openSync(options.stdoutTo, 'w'), 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr, logs: stderr, processOutput: '' }));
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    else child.stdin?.end();
    if (child.pid !== undefined) options.onStart?.(child.pid);
  });
}

/** A temp dir with the given files; returns its path. */
export async function tempFiles(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'retag-test-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** A DOCKER_CONFIG folder whose config.json holds these `auths`. */
export async function dockerConfig(auths: Record<string, Record<string, string>>): Promise<string> {
  return tempFiles({ 'config.json': JSON.stringify({ auths }, null, 2) });
}

export function basicAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}

/** A tag file from entries. */
export function tagFile(entries: { name: string; src_build_tag: string; tag: string }[]): string {
  const lines = ['---', 'images:'];
  for (const e of entries) {
    lines.push(`  - name: ${e.name}`, `    src_build_tag: ${e.src_build_tag}`, `    tag: ${e.tag}`);
  }
  return `${lines.join('\n')}\n`;
}
