// `npm run bench:refs [-- --files N --repeat R --keep]`
// What `retag refs` costs on a tree of text files, next to `grep -rIn` over the same tree, and
// whether its memory stays flat as the tree grows.
//
// Builds a tree in a temp folder: the StarlingX 2020 fixture files (test/fixtures/refs-2020-stx4,
// real playbooks, templates, a chart, an Armada manifest) copied many times, half the files
// filler (YAML and shell without references, the commonest case in a real tree). Three trees:
// N files (half of them fixture copies), 4N files with the same fixture copies (memory must stay
// flat in the tree's size), and 4N files with 4x the copies (memory grows with the findings,
// which the report holds). For each: `retag refs --output json` and `grep -rIn starlingx` (grep only
// finds lines: a floor for reading the tree, not the same job), each --repeat times after one
// warm-up run so both read from the page cache; the median wall time and retag's peak RSS
// (/usr/bin/time %M) are shown. Not part of `npm test`: its figures depend on the machine.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// .build/scripts/bench-refs.js -> the project root
const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(root, 'bin', 'retag.js');
const FIXTURE = join(root, 'test', 'fixtures', 'refs-2020-stx4');
const TAG_FILE = join(FIXTURE, 'root', 'build-tools', 'build-docker-images', 'tag-management', 'image-tags-4.0.yaml');
const TIME_BIN = '/usr/bin/time';

const { values: flags } = parseArgs({
  options: {
    files: { type: 'string', default: '5000' },
    repeat: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const baseFiles = Number(flags.files);
const repeat = Number(flags.repeat);
if (!Number.isInteger(baseFiles) || baseFiles < 100 || !Number.isInteger(repeat) || repeat < 1) {
  console.error('usage: npm run bench:refs -- [--files N (>= 100)] [--repeat R] [--keep]');
  process.exit(2);
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.name !== 'expected.yaml' && entry.name !== 'README.md') out.push(path);
  }
  return out;
}

function filler(i: number): { name: string; text: string } {
  if (i % 2 === 0) {
    const lines = Array.from({ length: 60 }, (_, j) => `  key_${j}: value ${i}-${j} # filler without any image reference`);
    return { name: `filler-${i}.yaml`, text: `---\nsettings:\n${lines.join('\n')}\n` };
  }
  const lines = Array.from({ length: 60 }, (_, j) => `echo "step ${j} of job ${i}" >> /var/log/build-${i}.log`);
  return { name: `filler-${i}.sh`, text: `#!/bin/sh\nset -e\n${lines.join('\n')}\n` };
}

/** A tree of `files` text files: `withRefs` of them fixture copies, the rest filler. */
async function buildTree(dir: string, files: number, withRefs: number): Promise<{ files: number; bytes: number }> {
  const sources = await Promise.all((await listFiles(FIXTURE)).map(async (path) => ({ path, bytes: await readFile(path) })));
  let count = 0;
  let bytes = 0;
  let copy = 0;
  let copied = 0;
  while (count < files) {
    const copyDir = join(dir, `copy-${String(copy).padStart(5, '0')}`);
    for (const source of sources) {
      if (count >= files || copied >= withRefs) break;
      copied++;
      const target = join(copyDir, relative(FIXTURE, source.path));
      await mkdir(join(target, '..'), { recursive: true });
      await writeFile(target, source.bytes);
      bytes += source.bytes.length;
      count++;
    }
    for (let i = 0; i < (copied >= withRefs ? 50 : sources.length) && count < files; i++) {
      const { name, text } = filler(count);
      await mkdir(join(copyDir, 'filler'), { recursive: true });
      await writeFile(join(copyDir, 'filler', name), text);
      bytes += text.length;
      count++;
    }
    copy++;
  }
  return { files: count, bytes };
}

interface Timed {
  seconds: number;
  maxRssKiB: number;
  code: number;
  stdoutBytes: number;
}

function timed(command: string, args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME_BIN, ['-f', 'bench-time=%e maxrss=%M', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdoutBytes += chunk.length));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /bench-time=([\d.]+) maxrss=(\d+)/.exec(stderr);
      if (match === null) reject(new Error(`no timing from ${command}: ${stderr.slice(0, 500)}`));
      else resolve({ seconds: Number(match[1]), maxRssKiB: Number(match[2]), code: code ?? -1, stdoutBytes });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function measure(command: string, args: string[]): Promise<{ seconds: number; maxRssMiB: number; last: Timed }> {
  await timed(command, args); // warm-up: the page cache holds the tree for both tools
  const runs: Timed[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await timed(command, args));
  return { seconds: median(runs.map((r) => r.seconds)), maxRssMiB: Math.max(...runs.map((r) => r.maxRssKiB)) / 1024, last: runs[runs.length - 1]! };
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const dirs: string[] = [];
  try {
    // the same references in a tree 4x as big (memory must not grow), then 4x the references
    const sizes = [
      { files: baseFiles, withRefs: baseFiles / 2 },
      { files: baseFiles * 4, withRefs: baseFiles / 2 },
      { files: baseFiles * 4, withRefs: baseFiles * 2 },
    ];
    for (const size of sizes) {
      const dir = await mkdtemp(join(tmpdir(), 'retag-bench-refs-'));
      dirs.push(dir);
      const built = await buildTree(dir, size.files, size.withRefs);
      const retag = await measure(process.execPath, [BIN, 'refs', '--tags', TAG_FILE, '--output', 'json', dir]);
      const grep = await measure('grep', ['-rIn', 'starlingx', dir]);
      if (retag.last.code !== 1) throw new Error(`retag refs exited ${retag.last.code}, expected 1 (the fixture has floating tags)`);
      rows.push(
        `| ${built.files.toLocaleString('en')} | ${size.withRefs.toLocaleString('en')} | ${(built.bytes / 1e6).toFixed(1)} MB | ${retag.seconds.toFixed(2)} s | ${grep.seconds.toFixed(2)} s | ` +
          `${(retag.seconds / Math.max(grep.seconds, 0.01)).toFixed(1)}x | ${retag.maxRssMiB.toFixed(0)} MiB | ${(retag.last.stdoutBytes / 1e6).toFixed(1)} MB |`,
      );
    }
  } finally {
    if (!flags.keep) for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    else console.log(`trees kept: ${dirs.join(' ')}`);
  }
  console.log(`retag refs vs grep -rIn, median of ${repeat} warm runs (node ${process.version}):\n`);
  console.log('| files | with references | size | retag refs | grep -rIn | ratio | retag peak RSS | JSON report |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
