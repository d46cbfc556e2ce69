// `npm run demo`: the main job end to end on a throwaway local registry.
// Starts Debian's docker-registry with htpasswd auth on a free loopback port, seeds the images of
// examples/demo-image-tags.yaml under their src_build_tag, then runs the real CLI: validate,
// a dry-run, an apply and a rerun. Everything is removed afterwards.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REGISTRY_BIN, startRegistry } from '../test/helpers/registry-process.js';
import { seedImages } from '../test/helpers/seed.js';

// .build/scripts/demo.js -> the project root
const root = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE_HOST = 'localhost:5055';

function show(title: string, args: string[], env: NodeJS.ProcessEnv): number {
  process.stdout.write(`\n\x1b[1m# ${title}\x1b[0m\n$ retag ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [join(root, 'bin', 'retag.js'), ...args], { env: { ...process.env, ...env }, stdio: 'inherit' });
  process.stdout.write(`(exit code ${result.status})\n`);
  return result.status ?? 1;
}

async function main(): Promise<void> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(`${REGISTRY_BIN} is not installed; run \`apt-get install -y docker-registry\` (as root) and try again`);
  }
  const registry = await startRegistry({ auth: 'basic' });
  const work = await mkdtemp(join(tmpdir(), 'retag-demo-'));
  try {
    process.stdout.write(`A throwaway docker-registry (htpasswd auth) is listening on ${registry.host}.\n`);
    await seedImages(registry.client, [
      { repo: 'starlingx/k8s-cni-sriov', tag: 'master-centos-stable-20191203T153530Z.0', kind: 'docker-v2' },
      { repo: 'starlingx/stx-platformclients', tag: 'master-debian-trixie-amd64-stable-20260712T220100Z.0', kind: 'docker-list' },
      { repo: 'starlingx/stx-snmp', tag: 'master-debian-trixie-amd64-stable-20260713T220100Z.0', kind: 'oci-index' },
      { repo: 'starlingx/stx-fm-subagent', tag: 'master-debian-trixie-amd64-stable-20260713T220100Z.0', kind: 'oci-manifest' },
      { repo: 'starlingx/stx-fm-subagent', tag: 'stx.13.0-v1.0.2-trixie', kind: 'oci-manifest' },
    ]);
    process.stdout.write('Seeded 4 images under their build tags (Docker v2, Docker manifest list, OCI index, OCI manifest).\n');

    // The example names localhost:5055; point it at this run's port.
    const example = await readFile(join(root, 'examples', 'demo-image-tags.yaml'), 'utf8');
    const tagFile = join(work, 'demo-image-tags.yaml');
    await writeFile(tagFile, example.replaceAll(SAMPLE_HOST, registry.host));
    // Credentials where docker login would have put them.
    const auth = Buffer.from(`admin:${registry.users.admin}`).toString('base64');
    await writeFile(join(work, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const env = { DOCKER_CONFIG: work };

    show('Check the tag file (no registry contacted)', ['validate', tagFile], env);
    show('Preview in code review: HEAD requests only, nothing written', ['apply', '--dry-run', tagFile], env);
    show('Create the missing tags', ['apply', tagFile], env);
    show('Run it again: nothing left to do', ['apply', tagFile], env);
    process.stdout.write('\nThe multi-arch list was copied whole: every platform is still there under the new tag.\n');
    const copied = await registry.client.getManifest('starlingx/stx-platformclients', 'stx.13.0-v1.0.0-trixie');
    const list = JSON.parse(copied.bytes?.toString('utf8') ?? '{}') as { manifests?: { platform?: { architecture?: string } }[] };
    process.stdout.write(`  ${copied.mediaType}: ${(list.manifests ?? []).map((m) => m.platform?.architecture).join(', ')}\n`);
  } finally {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
