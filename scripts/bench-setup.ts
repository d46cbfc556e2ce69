// What scripts/bench.ts and scripts/bench-serve.ts set up alike: the seeded images and the tag files.

import type { TestRegistry } from '../test/helpers/registry-process.js';
import { SEED_KINDS_V2, seedImages, type SeedSpec } from '../test/helpers/seed.js';

/** src_build_tag of every benchmark image */
export const BENCH_SOURCE_TAG = 'master-debian-stable-20260101T000000Z.0';

/** A tag file asking for `tag` on every repository of `host`. */
export function tagFile(host: string, repos: string[], tag: string): string {
  const lines = ['---', 'images:'];
  for (const repo of repos) lines.push(`  - name: ${host}/${repo}`, `    src_build_tag: ${BENCH_SOURCE_TAG}`, `    tag: ${tag}`);
  return `${lines.join('\n')}\n`;
}

/** Seeds one repository per image, kinds in turn, content unique per repository (no shared-blob upload races). */
export async function seedBench(registry: TestRegistry, repos: string[], concurrency: number): Promise<void> {
  const specs: SeedSpec[] = repos.map((repo, i) => ({ repo, tag: BENCH_SOURCE_TAG, kind: SEED_KINDS_V2[i % SEED_KINDS_V2.length]!, variant: repo }));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < specs.length) {
      const spec = specs[next++]!;
      await seedImages(registry.client, [spec]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}
