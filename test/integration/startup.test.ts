// Start-up cost: the CLI loads only what a command needs. `retag --help` and `retag validate` must
// not load the HTTP stack (undici) or the logger (pino); `apply` loads them when it runs.
// Every module the real binary resolves is recorded by a module.register() resolve hook, and, at
// exit, every CommonJS module in require's cache (undici's parts are loaded with createRequire,
// which ESM hooks do not see on Node 20).

import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, PROJECT_ROOT, tempFiles } from '../helpers/run-cli.js';

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.RETAG_IMPORT_LOG, result.url + '\\n');
  return result;
}
`;
const REGISTER = `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register('./hooks.mjs', import.meta.url);
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  appendFileSync(process.env.RETAG_IMPORT_LOG, Object.keys(cache).map((path) => 'file://' + path + '\\n').join(''));
});
`;

async function packagesLoaded(args: string[]): Promise<{ packages: Set<string>; urls: string[]; status: number | null }> {
  const dir = await tempFiles({ 'hooks.mjs': HOOKS, 'register.mjs': REGISTER });
  const log = join(dir, 'imports.log');
  await writeFile(log, '');
  const result = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), BIN, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', RETAG_IMPORT_LOG: log, DOCKER_CONFIG: dir },
    encoding: 'utf8',
  });
  const urls = (await readFile(log, 'utf8')).split('\n');
  const packages = new Set(urls.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((p): p is string => p !== undefined));
  return { packages, urls, status: result.status };
}

describe('start-up loads only what the command needs', () => {
  it.each([
    ['--help', ['--help']],
    ['--version', ['--version']],
    ['apply --help', ['apply', '--help']],
    ['validate', ['validate', 'examples/stx.4.0-image-tags.yaml']],
  ])('%s: no undici, no pino', async (name, args) => {
    const { packages, status } = await packagesLoaded(args);
    expect(status).toBe(0);
    expect(packages.has('commander')).toBe(true); // the hook saw the imports
    expect(packages.has('undici')).toBe(false);
    expect(packages.has('pino')).toBe(false);
    // help and version need no tag-file parser either
    if (name !== 'validate') expect([...packages].filter((p) => p === 'zod' || p === 'js-yaml')).toEqual([]);
  });

  it('apply loads the HTTP stack and the logger', async () => {
    // an unreachable loopback port: the run fails fast, but only after loading what it needs
    const dir = await tempFiles({ 'one.yaml': 'images:\n  - name: 127.0.0.1:9/x/y\n    src_build_tag: a\n    tag: b\n' });
    const { packages, urls } = await packagesLoaded(['apply', '--dry-run', join(dir, 'one.yaml')]);
    expect(packages.has('undici')).toBe(true);
    // its HTTP/1.1 client only, not undici's index with fetch, WebSocket and the rest (undici-parts.ts)
    expect(urls.filter((url) => /\/node_modules\/undici\/(index\.js|lib\/web\/)/.test(url))).toEqual([]);
    expect(packages.has('pino')).toBe(true);
  });
});
