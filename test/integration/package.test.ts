// What `npm pack` ships: the launcher, the built JavaScript, the tag file's JSON Schema, README and
// LICENSE, nothing else (no sources, tests or maps), and a launcher npx can run. --ignore-scripts:
// the `prepack` build would delete dist/ under the other test files' feet.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runBinary } from '../helpers/run-cli.js';

const run = promisify(execFile);

describe('the npm package', () => {
  it('holds bin/, dist/**/*.js, the JSON Schema, README.md, LICENSE and package.json only', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT });
    const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const paths = pack!.files.map((f) => f.path);
    expect(paths.filter((p) => !/^(bin\/retag\.js|dist\/.+\.js|schema\/tag-file\.schema\.json|README\.md|LICENSE|package\.json)$/.test(p))).toEqual([]);
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('bin/retag.js');
    expect(paths).toContain('schema/tag-file.schema.json');
  });

  it('bin/retag.js is a node script with a shebang, named in package.json bin', async () => {
    const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ retag: 'bin/retag.js' });
    expect((await readFile(join(PROJECT_ROOT, 'bin/retag.js'), 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it.each([[[]], [['validate']], [['apply']]])('retag %j --help: usage with examples, exit 0', async (command) => {
    const result = await runBinary([...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: retag/);
    expect(result.stdout).toMatch(/\nExamples:\n {2}\$ retag /);
  });
});

// `npm pack` builds in prepack; the tarball installs with no install script to run and works from
// the prefix. Packed from a copy of the sources (the build replaces dist/, which other test files
// use). npm resolves the tarball's dependencies from the registry's metadata, which `npm ci` does
// not cache: --prefer-offline takes the packages from the cache, and on a machine that cannot
// reach the npm registry the test is skipped and says so (nothing else in the suite needs it).
describe('npm pack, then npm install -g of the tarball', () => {
  it('builds, installs without an install-script warning, and `retag --version` works', { timeout: 240_000 }, async (context) => {
    const { cp, mkdtemp, readdir, symlink } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const work = await mkdtemp(join(tmpdir(), 'retag-pack-'));
    const copy = join(work, 'src-copy');
    for (const entry of ['package.json', 'package-lock.json', 'bin', 'src', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE']) {
      await cp(join(PROJECT_ROOT, entry), join(copy, entry), { recursive: true });
    }
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
    await run('npm', ['pack', '--silent'], { cwd: copy });
    const tarball = (await readdir(copy)).find((f) => /^retag-.+\.tgz$/.test(f));
    expect(tarball).toBeDefined();
    const prefix = join(work, 'prefix');
    const installed = await run('npm', ['install', '-g', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', prefix, join(copy, tarball!)], { cwd: work }).catch(
      (error: { stderr?: string }) => {
        if (/ENOTFOUND|EAI_AGAIN|ENOTCACHED|ECONNREFUSED|ETIMEDOUT/.test(error.stderr ?? '')) return undefined;
        throw error;
      },
    );
    if (installed === undefined) return context.skip('the npm registry is not reachable: the tarball\'s dependencies cannot be installed');
    expect(`${installed.stdout}${installed.stderr}`).not.toMatch(/script|prepare|deprecated/i);
    const version = await run(join(prefix, 'bin', 'retag'), ['--version']);
    const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(Object.keys(pkg.scripts).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);
    const schema = await run(join(prefix, 'bin', 'retag'), ['schema']);
    expect(JSON.parse(schema.stdout)).toMatchObject({ title: 'retag tag file' });
  });
});
