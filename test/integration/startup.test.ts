// Start-up cost: the CLI loads only what a command needs. `retag --help` and `retag validate` must
// not load the HTTP stack (undici) or the logger (pino); `apply` loads them when it runs.
// Every file the real binary loads is recorded: ES modules by a module.register() resolve hook,
// CommonJS ones from require's cache at exit. dist/ is an esbuild bundle, which marks each module
// it holds with a `// node_modules/PACKAGE/...` line, so a loaded dist file counts for the
// packages it bundles; a file from node_modules counts for its own.

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

/** node_modules/PACKAGE/ or node_modules/@SCOPE/PACKAGE/ in a path or a bundle's module marker */
const PACKAGE_PATH = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/;

/** The bundled modules a dist file holds, as `PACKAGE/PATH` ("undici/lib/dispatcher/agent.js"). */
async function bundledModules(url: string): Promise<string[]> {
  if (!url.startsWith('file://') || !url.includes('/dist/')) return [];
  const text = await readFile(new URL(url), 'utf8');
  return [...text.matchAll(/^\/\/ (node_modules\/\S+)$/gm)].map((m) => {
    const [, name, rest] = PACKAGE_PATH.exec(m[1]!)!;
    return `${name}/${rest}`;
  });
}

async function packagesLoaded(args: string[]): Promise<{ packages: Set<string>; modules: string[]; status: number | null }> {
  const dir = await tempFiles({ 'hooks.mjs': HOOKS, 'register.mjs': REGISTER });
  const log = join(dir, 'imports.log');
  await writeFile(log, '');
  const result = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), BIN, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', RETAG_IMPORT_LOG: log, DOCKER_CONFIG: dir },
    encoding: 'utf8',
  });
  const urls = [...new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean))];
  const modules: string[] = [];
  for (const url of urls) {
    const own = PACKAGE_PATH.exec(url);
    if (own) modules.push(`${own[1]}/${own[2]}`);
    modules.push(...(await bundledModules(url)));
  }
  const packages = new Set(modules.map((m) => PACKAGE_PATH.exec(`node_modules/${m}`)![1]!));
  return { packages, modules, status: result.status };
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
    const { packages, modules } = await packagesLoaded(['apply', '--dry-run', join(dir, 'one.yaml')]);
    expect(packages.has('undici')).toBe(true);
    // its HTTP/1.1 client only, not undici's index with fetch(), WebSocket, mocks and caches (undici-parts.ts)
    expect(modules).toContain('undici/lib/dispatcher/agent.js');
    expect(modules.filter((m) => /^undici\/(index\.js|lib\/(web\/(fetch\/index|websocket|eventsource)|mock|cache)\b)/.test(m))).toEqual([]);
    expect(packages.has('pino')).toBe(true);
  });
});
