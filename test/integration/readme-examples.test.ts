// The README's examples run as written (issue 13). A code block under `<!-- example: PATH -->` must
// be that file, word for word; the files under examples/ and the README's `<!-- example: demo -->`
// console session are run against a real registry with basic auth, seeded as `npm run demo` does.

import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SAMPLE_HOST, seedDemo } from '../helpers/demo-registry.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { BIN, PROJECT_ROOT, runBinary, tempFiles } from '../helpers/run-cli.js';

const exec = promisify(execFile);

/** Each `<!-- example: NAME -->` and the fenced block right after it. */
function examples(readme: string): { name: string; body: string }[] {
  return [...readme.matchAll(/<!-- example: (\S+) -->\n```[a-z]*\n([\s\S]*?)```\n/g)].map((m) => ({ name: m[1]!, body: m[2]! }));
}

describe('the README and examples/ run as written', () => {
  let registry: TestRegistry;
  let readme: string;
  let demoFile: string;
  /** a folder holding examples/demo-image-tags.yaml rewritten for this registry */
  let work: string;

  beforeAll(async () => {
    readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    registry = await startRegistry({ auth: 'basic' });
    await seedDemo(registry.client);
    demoFile = (await readFile(join(PROJECT_ROOT, 'examples', 'demo-image-tags.yaml'), 'utf8')).replaceAll(DEMO_SAMPLE_HOST, registry.host);
    work = await tempFiles({});
    await mkdir(join(work, 'examples'));
    await writeFile(join(work, 'examples', 'demo-image-tags.yaml'), demoFile);
    const auth = Buffer.from(`admin:${registry.users.admin}`).toString('base64');
    await writeFile(join(work, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('every README block marked with a file is that file', async () => {
    const marked = examples(readme).filter((e) => e.name.includes('/'));
    expect(marked.length).toBeGreaterThan(0);
    for (const { name, body } of marked) expect(body, name).toBe(await readFile(join(PROJECT_ROOT, name), 'utf8'));
  });

  it('the console session under Usage prints what the README shows (host, digests and padding aside)', async () => {
    const session = examples(readme).find((e) => e.name === 'demo');
    expect(session).toBeDefined();
    const normalise = (text: string) =>
      text
        .replaceAll(registry.host, DEMO_SAMPLE_HOST)
        .replace(/sha256:[0-9a-f]{12}\b/g, 'sha256:DIGEST')
        .replace(/ {2,}/g, ' ')
        .trim();
    const commands = session!.body.split(/^\$ /m).filter((part) => part.trim() !== '');
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) {
      const [line, ...shown] = command.split('\n');
      const args = line!.trim().split(/\s+/);
      expect(args[0]).toBe('retag');
      const result = await runBinary(args.slice(1), { cwd: work, env: { DOCKER_CONFIG: work } });
      expect(normalise(result.stdout), line).toBe(normalise(shown.join('\n')));
    }
  });

  it('examples/ci/retag-job.sh: validate, dry-run, apply, nothing left, credentials given to every step', { timeout: 120_000 }, async () => {
    const job = await tempFiles({ 'image-tags.yaml': demoFile });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: job, // no docker config of the machine's: the job's credentials only
      RETAG_DIR: PROJECT_ROOT,
      TAG_FILE: 'image-tags.yaml',
      REGISTRY: registry.host,
      REGISTRY_USER: 'admin',
      REGISTRY_PASSWORD: registry.users.admin!,
    };
    const { stdout, stderr } = await exec('sh', [join(PROJECT_ROOT, 'examples', 'ci', 'retag-job.sh')], { cwd: job, env });
    expect(stdout).toMatch(/1 file valid/);
    expect(stdout).toMatch(/dry-run, nothing written: 4 images: 3 pending, 1 exists/);
    expect(stdout).toMatch(/dry-run, nothing written: 4 images: 0 pending, 4 exist/);
    const result = JSON.parse(await readFile(join(job, 'retag-result.json'), 'utf8')) as { summary: Record<string, number> };
    expect(result.summary).toMatchObject({ created: 3, exists: 1, failed: 0 });
    expect(`${stdout}${stderr}`).not.toContain(registry.users.admin!);
  });

  it('examples/ci/github-actions.yml installs retag from its checkout and gives credentials to every registry step', async () => {
    const text = await readFile(join(PROJECT_ROOT, 'examples', 'ci', 'github-actions.yml'), 'utf8');
    expect(text).not.toMatch(/\bnpx\b(?! retag`)/); // only the comment that warns against it
    const workflow = load(text) as { jobs: Record<string, { steps: { run?: string; env?: Record<string, string> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.some((step) => /npm pack && npm install -g \.\/retag-\*\.tgz/.test(step.run ?? ''))).toBe(true);
    const registrySteps = steps.filter((step) => /retag apply/.test(step.run ?? ''));
    expect(registrySteps.length).toBeGreaterThanOrEqual(2);
    for (const step of registrySteps) {
      expect(step.env?.REGISTRY_PASSWORD).toMatch(/secrets\./);
      expect(step.run).toMatch(/--password-stdin/);
    }
  });

  it('.pre-commit-hooks.yaml: a retag-validate hook that runs retag validate on the files', async () => {
    const hooks = load(await readFile(join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string }[];
    expect(hooks).toContainEqual(expect.objectContaining({ id: 'retag-validate', entry: 'retag validate', language: 'node' }));
    const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain('retag');
    // the hook's command on a file given as pre-commit gives it
    const result = await exec(process.execPath, [BIN, 'validate', join(PROJECT_ROOT, 'examples', 'stx.4.0-image-tags.yaml')]);
    expect(result.stdout).toMatch(/1 file valid/);
  });
});
