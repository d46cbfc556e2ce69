// Hostile and malformed tag files at the CLI: `retag apply` exits 2 with a located message,
// contacts no registry, and is quick. A recording server stands where the registry would be, and
// every case file also holds one valid entry aimed at it (in the same document where the case
// allows, else in a second document of the file): an apply that went on with the valid entries of
// an invalid file would contact it.

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
/** The valid entry every case file holds, aimed at the recording server. */
const valid = () => entry({ name: `${host}/stx/valid` });
/** A second YAML document holding the valid entry, for cases whose first document cannot. */
const validDoc = () => doc(valid());

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

// Contents are functions: the recording server's port is known once it listens.
const CASES: { name: string; content: () => string | Buffer; expected: RegExp; validInAnotherFile?: true }[] = [
  { name: 'alias bomb (billion laughs)', content: () => `${aliasBomb()}${validDoc()}`, expected: /tags\.yaml:2: YAML alias \*a/ },
  { name: 'merge key with an alias', content: () => `base: &b {src_build_tag: x}\n${doc(`${valid()}\n${entry()}`)}  - <<: *b\n    name: ${'a/b'}\n    tag: t\n`, expected: /tags\.yaml:\d+: .*alias/i },
  { name: 'huge file', content: () => doc(valid()) + `# ${'x'.repeat(2 * 1024 * 1024)}\n`, expected: /tags\.yaml: tag file is \d+ bytes; the limit is 1 MiB/ },
  { name: 'binary file', content: () => Buffer.concat([Buffer.from(validDoc()), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])]), expected: /tags\.yaml: not a text file \(it contains NUL bytes\)/ },
  { name: 'invalid UTF-8', content: () => Buffer.concat([Buffer.from(validDoc()), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a])]), expected: /tags\.yaml: not a text file \(it is not valid UTF-8\)/ },
  { name: 'deep nesting (flow)', content: () => `images: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n${validDoc()}`, expected: /tags\.yaml:1: .*(deep|nest)/i },
  { name: 'deep nesting (block)', content: () => `images:\n${Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 1)}- `).join('\n')}x\n${validDoc()}`, expected: /tags\.yaml:\d+: .*(deep|nest)/i },
  { name: '!!js/function', content: () => doc(`${entry({ tag: "!!js/function 'function () { return 1 }'" })}\n${valid()}`), expected: /tags\.yaml:5: YAML tag !!js\/function is not allowed/ },
  { name: '!!js/regexp', content: () => doc(`${entry({ src_build_tag: '!!js/regexp /x/' })}\n${valid()}`), expected: /tags\.yaml:4: YAML tag !!js\/regexp is not allowed/ },
  { name: '!!js/undefined', content: () => doc(`${entry({ tag: "!!js/undefined ''" })}\n${valid()}`), expected: /tags\.yaml:5: YAML tag !!js\/undefined is not allowed/ },
  { name: '!!python/object', content: () => doc(`${entry({ tag: '!!python/object:os.system x' })}\n${valid()}`), expected: /tags\.yaml:5: .*python\/object/ },
  { name: 'document is a list', content: () => `- a\n- b\n${validDoc()}`, expected: /tags\.yaml:1: a tag file document must be a mapping with an images: list, not a list/ },
  { name: 'document is a scalar', content: () => `hello\n${validDoc()}`, expected: /tags\.yaml:1: .*mapping/ },
  { name: 'images is a string', content: () => `---\nimages: everything\n${validDoc()}`, expected: /tags\.yaml:2: images.*list/ },
  { name: 'images is a mapping', content: () => `---\nimages:\n  name: a/b\n${validDoc()}`, expected: /tags\.yaml:\d: images.*list/ },
  { name: 'entry is a string', content: () => `---\nimages:\n  - a/b:1.0\n${valid()}\n`, expected: /tags\.yaml:3: images\[0\].*mapping/ },
  { name: 'entry is a list', content: () => `---\nimages:\n  - [a, b]\n${valid()}\n`, expected: /tags\.yaml:3: images\[0\].*mapping/ },
  // scalars are read as written (`tag: 1.10` is the tag "1.10", `tag: null` the tag "null"), so the wrong types are the non-scalars
  { name: 'name is a mapping', content: () => doc(`${entry({ name: '{registry: x}' })}\n${valid()}`), expected: /tags\.yaml:3: images\[0\]\.name/ },
  { name: 'tag is a list', content: () => doc(`${entry({ tag: '[a, b]' })}\n${valid()}`), expected: /tags\.yaml:5: images\[0\]\.tag/ },
  { name: 'src_build_tag is a mapping', content: () => doc(`${entry({ src_build_tag: '{a: b}' })}\n${valid()}`), expected: /tags\.yaml:4: images\[0\]\.src_build_tag/ },
  { name: 'tag is empty', content: () => doc(`${entry({ tag: '' })}\n${valid()}`), expected: /tags\.yaml:5: images\[0\]\.tag.*empty/ },
  { name: 'tag is ~ (null in YAML 1.1)', content: () => doc(`${entry({ tag: '~' })}\n${valid()}`), expected: /tags\.yaml:5: images\[0\]\.tag.*not a valid tag/ },
  { name: 'src_ref is a number', content: () => `${doc(entry())}    src_ref: 42\n${valid()}\n`, expected: /tags\.yaml:6: images\[0\]\.src_ref/ },
  { name: 'unknown key', content: () => doc(`${entry({ src_build_tg: 'x' })}\n${valid()}`), expected: /tags\.yaml:\d: images\[0\].*src_build_tag/ },
  // an empty file cannot hold an entry: the valid one is in a second file of the same run
  { name: 'empty file', content: () => '', expected: /tags\.yaml.*(empty|no images)/i, validInAnotherFile: true },
  { name: 'YAML syntax error', content: () => `${validDoc()}---\nimages:\n  - name: "unterminated\n`, expected: /tags\.yaml:\d+: / },
];

describe('hostile tag files: exit 2, a located message, no registry contacted, quick', () => {
  it.each(CASES)('$name', async ({ content, expected, validInAnotherFile }) => {
    const dir = await tempFiles({ 'tags.yaml': content(), 'valid.yaml': validDoc() });
    const files = validInAnotherFile ? ['valid.yaml', 'tags.yaml'] : ['tags.yaml'];
    const before = contacted;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await runInProcess(['apply', ...files], { cwd: dir, env: { DOCKER_CONFIG: dir } });
    const cpu = process.cpuUsage(cpuBefore);
    const ms = performance.now() - started;
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).toMatch(/nothing was sent to any registry/);
    expect(result.stdout).toBe('');
    expect(contacted - before).toBe(0);
    // well under a second of work: CPU time (typically a few ms) does not grow when the machine is
    // busy; the wall-clock bound only catches a hang
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1_000);
    expect(ms).toBeLessThan(20_000);
  });

  it('control: the valid entry alone does reach the recording server', async () => {
    const dir = await tempFiles({ 'valid.yaml': validDoc() });
    const before = contacted;
    const result = await runInProcess(['apply', 'valid.yaml'], { cwd: dir, env: { DOCKER_CONFIG: dir, RETAG_RETRY_BASE_MS: '1' } });
    expect(result.code).toBe(1); // the recording server answers 500
    expect(contacted - before).toBeGreaterThan(0);
  });

  it('a device file (/dev/zero) is refused, not read', async () => {
    const result = await runInProcess(['apply', '/dev/zero']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\/dev\/zero: is not a regular file/);
  });

  it('one hostile file stops the run even when the others are fine: nothing is contacted', async () => {
    const dir = await tempFiles({ 'good.yaml': validDoc(), 'bomb.yaml': aliasBomb() });
    const before = contacted;
    const result = await runInProcess(['apply', 'good.yaml', 'bomb.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bomb\.yaml:2: YAML alias/);
    expect(contacted - before).toBe(0);
  });

  it('the real binary: an alias bomb exits 2 and does not expand it', async () => {
    const dir = await tempFiles({ 'tags.yaml': `${aliasBomb()}${validDoc()}` });
    const before = contacted;
    const started = performance.now();
    const result = await runBinary(['apply', 'tags.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tags\.yaml:2: YAML alias/);
    // expanded, the bomb is 10^9 strings: minutes and gigabytes, not the seconds a busy machine
    // may take to start node (the CPU-time bound of the in-process cases is the tight one)
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(contacted - before).toBe(0);
  });
});
