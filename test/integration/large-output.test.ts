// A large report through a pipe arrives whole: main() used to exit as soon as the run was done,
// which cut `--output json` for a few thousand images at 64 KiB (the pipe's buffer).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinary, tagFile, tempFiles } from '../helpers/run-cli.js';

describe('large reports through a pipe', () => {
  it('validate --output json of 2,000 images is complete JSON', async () => {
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      name: `registry.example/stx/image-${i}`,
      src_build_tag: 'master-debian-stable-20260101T000000Z.0',
      tag: 'stx.13.0-v1.0.0',
    }));
    const dir = await tempFiles({ 'big.yaml': tagFile(entries) });
    const result = await runBinary(['validate', '--output', 'json', join(dir, 'big.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(256 * 1024);
    const report = JSON.parse(result.stdout) as { images: unknown[] };
    expect(report.images).toHaveLength(2000);
  });
});
