// Edges of the command line found in review: a report that cannot be written, a broken proxy
// variable, high concurrency, machine-readable output when the tag files are invalid.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isManifestPath, maxOpenAtOnce, startLatencyProxy } from '../helpers/latency-proxy.js';
import { startRegistry } from '../helpers/registry-process.js';
import { runBinary, tagFile, tempFiles } from '../helpers/run-cli.js';

const ONE = 'images:\n  - name: 127.0.0.1:9/x/y\n    src_build_tag: a\n    tag: b\n';

describe('command-line edges', () => {
  it.skipIf(!existsSync('/dev/full'))('a report that cannot be written (full disk) exits 1 and says so', async () => {
    const dir = await tempFiles({ 'ok.yaml': 'images:\n  - name: x\n    src_build_tag: a\n    tag: b\n' });
    const result = await runBinary(['validate', '--output', 'json', 'ok.yaml'], { cwd: dir, stdoutTo: '/dev/full' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/report could not be written to standard output \(ENOSPC\)/);
  });

  it('a proxy variable that is not a URL is a usage error naming it, not an unexpected error', async () => {
    const dir = await tempFiles({ 'one.yaml': ONE });
    const result = await runBinary(['apply', '--dry-run', 'one.yaml'], { cwd: dir, env: { HTTPS_PROXY: '::bad::' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HTTPS_PROXY is set to something that is not a proxy URL');
    expect(result.stderr).not.toContain('::bad::');
  });

  // Every request in flight adds an abort listener to the run's signal: the warning only shows
  // when more than 10 requests wait at once, so a proxy holds each one (1 s) while 30 images are
  // checked at once, and the test checks that 11 or more were really open together.
  it('--concurrency 64 prints no listener warning (30 manifest requests held open at once)', async () => {
    const registry = await startRegistry({ auth: 'none' });
    const proxy = await startLatencyProxy({ target: registry.url, delayMs: 1_000 });
    try {
      const entries = Array.from({ length: 30 }, (_, i) => ({ name: `${proxy.host}/x/y${i}`, src_build_tag: 'a', tag: 'b' }));
      const dir = await tempFiles({ 'many.yaml': tagFile(entries) });
      const result = await runBinary(['apply', '--dry-run', '--concurrency', '64', 'many.yaml'], { cwd: dir });
      expect(result.stdout).toMatch(/30 images: .*30 missing source/); // every image was asked about
      expect(maxOpenAtOnce(proxy.requests.filter((r) => isManifestPath(r.path)))).toBeGreaterThanOrEqual(11);
      expect(result.stderr).not.toMatch(/MaxListenersExceededWarning|listeners added/);
    } finally {
      await proxy.stop();
      await registry.stop();
    }
  });

  it.each(['json', 'markdown'])('--output %s with an invalid tag file still writes the problems to stdout, in apply\'s shape', async (format) => {
    const dir = await tempFiles({ 'bad.yaml': 'images:\n  - name: x\n    src_build_tg: a\n    tag: b\n' });
    const result = await runBinary(['apply', '--dry-run', '--output', format, 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('src_build_tg');
    expect(result.stderr).toMatch(/^retag: bad\.yaml:3: .*src_build_tg/m);
    if (format === 'json') expect(JSON.parse(result.stdout)).toMatchObject({ command: 'apply', dryRun: true, images: [], problems: [{ file: 'bad.yaml' }] });
    else expect(result.stdout).toMatch(/^### retag plan \(dry-run, nothing written\)\n/);
  });

  it.each([
    [['validate', ''], /empty file name/],
    [['apply', '--repush', ',', 'x.yaml'], /--repush was given without an image name/],
    [['apply', '--concurrency', '1e1', 'x.yaml'], /expected a whole number/],
    [['apply', '--insecure-registry', 'http://registry.lab:5000/', 'x.yaml'], /--insecure-registry takes HOST or HOST:PORT/],
    [['apply', '--dry-run', '--ca-file', 'package.json', 'examples/demo-image-tags.yaml'], /holds no PEM certificate/],
  ])('%j is a usage error', async (args, message) => {
    const result = await runBinary(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
