// `npm run demo`: the main job end to end on a throwaway local registry.
// Starts Debian's docker-registry with htpasswd auth on a free loopback port, seeds the images of
// examples/demo-image-tags.yaml under their src_build_tag, then runs the real CLI: validate,
// a dry-run, an apply and a rerun. Everything is removed afterwards, unless `--keep`: then the
// registry stays up, with the tag file and credentials in .demo/, until Ctrl-C.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REGISTRY_BIN, startRegistry } from '../test/helpers/registry-process.js';
import { DEMO_SAMPLE_HOST, seedDemo } from '../test/helpers/demo-registry.js';

// .build/scripts/demo.js -> the project root
const root = fileURLToPath(new URL('../../', import.meta.url));

const keep = process.argv.includes('--keep');
// Bold titles on a terminal only, and not with NO_COLOR (https://no-color.org).
const bold = process.stdout.isTTY === true && !process.env.NO_COLOR ? (text: string) => `\x1b[1m${text}\x1b[0m` : (text: string) => text;

function show(title: string, args: string[], env: NodeJS.ProcessEnv): number {
  process.stdout.write(`\n${bold(`# ${title}`)}\n$ retag ${args.map((arg) => (arg.startsWith(root) ? relative(process.cwd(), arg) : arg)).join(' ')}\n`);
  const result = spawnSync(process.execPath, [join(root, 'bin', 'retag.js'), ...args], { env: { ...process.env, ...env }, stdio: 'inherit' });
  process.stdout.write(`(exit code ${result.status})\n`);
  return result.status ?? 1;
}

async function main(): Promise<void> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(`${REGISTRY_BIN} is not installed; run \`apt-get install -y docker-registry\` (as root) and try again`);
  }
  const registry = await startRegistry({ auth: 'basic' });
  // --keep: the files stay where the user can type their names (.demo/); otherwise a temp folder.
  const work = keep ? join(root, '.demo') : await mkdtemp(join(tmpdir(), 'retag-demo-'));
  if (keep) await mkdir(work, { recursive: true });
  try {
    process.stdout.write(`A throwaway docker-registry (htpasswd auth) is listening on ${registry.host}.\n`);
    await seedDemo(registry.client);
    process.stdout.write('Seeded 4 images under their build tags (Docker v2, Docker manifest list, OCI index, OCI manifest).\n');

    // The example names localhost:5055; point it at this run's port.
    const example = await readFile(join(root, 'examples', 'demo-image-tags.yaml'), 'utf8');
    const tagFile = join(work, 'demo-image-tags.yaml');
    await writeFile(tagFile, example.replaceAll(DEMO_SAMPLE_HOST, registry.host));
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
    if (keep) await waitForInterrupt(registry.host, relative(process.cwd(), work) || '.');
  } finally {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** --keep: say how to use the registry, then hold it until Ctrl-C or SIGTERM. */
async function waitForInterrupt(host: string, folder: string): Promise<void> {
  process.stdout.write(
    [
      '',
      bold(`The registry stays up on ${host} (user admin; its credentials are in ${folder}/config.json).`),
      'In another terminal, from this folder:',
      `  export DOCKER_CONFIG=$PWD/${folder}`,
      `  node bin/retag.js apply --dry-run ${folder}/demo-image-tags.yaml`,
      `  node bin/retag.js apply --dry-run --output markdown ${folder}/demo-image-tags.yaml`,
      `Edit ${folder}/demo-image-tags.yaml (or write your own tag file naming ${host}/...) and apply it.`,
      `Press Ctrl-C here to stop the registry and remove ${folder}/.`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  process.stdout.write('\nStopping the registry.\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
