// Hostile and malformed tag files at the CLI: `retag apply` exits 2 with a located message,
// contacts no registry (a recording server stands where the registry would be), and is quick.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinary, runInProcess, tempFiles } from '../helpers/run-cli.js';

let server: Server;
let host: string;
let contacted = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    contacted += 1;
    res.writeHead(500);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const entry = (overrides: Record<string, string> = {}) => {
  const fields = { name: `${host}/stx/app`, src_build_tag: 'build-1', tag: 'rel-1', ...overrides };
  return Object.entries(fields)
    .map(([key, value], i) => `${i === 0 ? '  - ' : '    '}${key}: ${value}`)
    .join('\n');
};
const doc = (body: string) => `---\nimages:\n${body}\n`;

function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i += 1) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  lines.push(`images: *j`);
  return `${lines.join('\n')}\n`;
}

type Content = string | Buffer | (() => string | Buffer);

const CASES: { name: string; content: Content; expected: RegExp }[] = [
  { name: 'alias bomb (billion laughs)', content: aliasBomb, expected: /tags\.yaml:2: YAML alias \*a/ },
  { name: 'merge key with an alias', content: `base: &b {src_build_tag: x}\n${doc(entry())}  - <<: *b\n    name: ${'a/b'}\n    tag: t\n`, expected: /tags\.yaml:\d+: .*alias/i },
  { name: 'huge file', content: () => doc(entry()) + `# ${'x'.repeat(2 * 1024 * 1024)}\n`, expected: /tags\.yaml: tag file is \d+ bytes; the limit is 1 MiB/ },
  { name: 'binary file', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), expected: /tags\.yaml: not a text file \(it contains NUL bytes\)/ },
  { name: 'invalid UTF-8', content: Buffer.from([0x69, 0x6d, 0x61, 0x67, 0x65, 0x73, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), expected: /tags\.yaml: not a text file \(it is not valid UTF-8\)/ },
  { name: 'deep nesting (flow)', content: () => `images: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, expected: /tags\.yaml:1: .*(deep|nest)/i },
  { name: 'deep nesting (block)', content: () => `images:\n${Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 1)}- `).join('\n')}x\n`, expected: /tags\.yaml:\d+: .*(deep|nest)/i },
  { name: '!!js/function', content: doc(entry({ tag: "!!js/function 'function () { return 1 }'" })), expected: /tags\.yaml:5: YAML tag !!js\/function is not allowed/ },
  { name: '!!js/regexp', content: doc(entry({ src_build_tag: '!!js/regexp /x/' })), expected: /tags\.yaml:4: YAML tag !!js\/regexp is not allowed/ },
  { name: '!!js/undefined', content: doc(entry({ tag: "!!js/undefined ''" })), expected: /tags\.yaml:5: YAML tag !!js\/undefined is not allowed/ },
  { name: '!!python/object', content: doc(entry({ tag: '!!python/object:os.system x' })), expected: /tags\.yaml:5: .*python\/object/ },
  { name: 'document is a list', content: '- a\n- b\n', expected: /tags\.yaml:1: a tag file document must be a mapping with an images: list, not a list/ },
  { name: 'document is a scalar', content: 'hello\n', expected: /tags\.yaml:1: .*mapping/ },
  { name: 'images is a string', content: '---\nimages: everything\n', expected: /tags\.yaml:2: images.*list/ },
  { name: 'images is a mapping', content: '---\nimages:\n  name: a/b\n', expected: /tags\.yaml:\d: images.*list/ },
  { name: 'entry is a string', content: '---\nimages:\n  - a/b:1.0\n', expected: /tags\.yaml:3: images\[0\].*mapping/ },
  { name: 'entry is a list', content: '---\nimages:\n  - [a, b]\n', expected: /tags\.yaml:3: images\[0\].*mapping/ },
  // scalars are read as written (`tag: 1.10` is the tag "1.10", `tag: null` the tag "null"), so the wrong types are the non-scalars
  { name: 'name is a mapping', content: doc(entry({ name: '{registry: x}' })), expected: /tags\.yaml:3: images\[0\]\.name/ },
  { name: 'tag is a list', content: doc(entry({ tag: '[a, b]' })), expected: /tags\.yaml:5: images\[0\]\.tag/ },
  { name: 'src_build_tag is a mapping', content: doc(entry({ src_build_tag: '{a: b}' })), expected: /tags\.yaml:4: images\[0\]\.src_build_tag/ },
  { name: 'tag is empty', content: doc(entry({ tag: '' })), expected: /tags\.yaml:5: images\[0\]\.tag.*empty/ },
  { name: 'tag is ~ (null in YAML 1.1)', content: doc(entry({ tag: '~' })), expected: /tags\.yaml:5: images\[0\]\.tag.*not a valid tag/ },
  { name: 'src_ref is a number', content: `${doc(entry())}    src_ref: 42\n`, expected: /tags\.yaml:6: images\[0\]\.src_ref/ },
  { name: 'unknown key', content: doc(entry({ src_build_tg: 'x' })), expected: /tags\.yaml:\d: images\[0\].*src_build_tag/ },
  { name: 'empty file', content: '', expected: /tags\.yaml.*(empty|no images)/i },
  { name: 'YAML syntax error', content: '---\nimages:\n  - name: "unterminated\n', expected: /tags\.yaml:\d+: / },
];

describe('hostile tag files: exit 2, a located message, no registry contacted, quick', () => {
  it.each(CASES)('$name', async ({ content, expected }) => {
    const text = typeof content === 'function' ? content() : content;
    const dir = await tempFiles({ 'tags.yaml': text });
    const before = contacted;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await runInProcess(['apply', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: dir } });
    const cpu = process.cpuUsage(cpuBefore);
    const ms = performance.now() - started;
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).toMatch(/nothing was sent to any registry/);
    expect(result.stdout).toBe('');
    expect(contacted - before).toBe(0);
    // well under a second of work (CPU time, typically a few ms); the wall-clock bound is loose for busy CI machines
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1_000);
    expect(ms).toBeLessThan(3_000);
  });

  it('a device file (/dev/zero) is refused, not read', async () => {
    const result = await runInProcess(['apply', '/dev/zero']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\/dev\/zero: is not a regular file/);
  });

  it('one hostile file stops the run even when the others are fine: nothing is contacted', async () => {
    const dir = await tempFiles({ 'good.yaml': doc(entry()), 'bomb.yaml': aliasBomb() });
    const before = contacted;
    const result = await runInProcess(['apply', 'good.yaml', 'bomb.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bomb\.yaml:2: YAML alias/);
    expect(contacted - before).toBe(0);
  });

  it('the real binary: an alias bomb exits 2 in well under a second of work', async () => {
    const dir = await tempFiles({ 'tags.yaml': aliasBomb() });
    const before = contacted;
    const started = performance.now();
    const result = await runBinary(['apply', 'tags.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tags\.yaml:2: YAML alias/);
    expect(performance.now() - started).toBeLessThan(3_000); // process start included
    expect(contacted - before).toBe(0);
  });
});
