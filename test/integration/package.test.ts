// What `npm pack` ships: the launcher, the built JavaScript, README and LICENSE, nothing else
// (no sources, tests or maps), and a launcher npx can run. --ignore-scripts: the `prepare`
// build would delete dist/ under the other test files' feet.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runBinary } from '../helpers/run-cli.js';

const run = promisify(execFile);

describe('the npm package', () => {
  it('holds bin/, dist/**/*.js, README.md, LICENSE and package.json only', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT });
    const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const paths = pack!.files.map((f) => f.path);
    expect(paths.filter((p) => !/^(bin\/retag\.js|dist\/.+\.js|README\.md|LICENSE|package\.json)$/.test(p))).toEqual([]);
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('bin/retag.js');
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
