// Fake docker credential helpers: small shell scripts `docker-credential-<name>` in a temp bin
// folder put first on PATH. Each records how it was called (argv and stdin) in calls.log.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type HelperBehaviour =
  | { answer: { Username: string; Secret: string } }
  | { notFound: true }
  | { fail: { code: number; output: string } }
  | { sleepSeconds: number };

export interface FakeHelpers {
  /** put this first on PATH */
  binDir: string;
  /** every call, in order: `<helper> <argv> <stdin>` */
  calls(): Promise<string[]>;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function fakeHelpers(helpers: Record<string, HelperBehaviour>): Promise<FakeHelpers> {
  const binDir = await mkdtemp(join(tmpdir(), 'retag-helpers-'));
  const log = join(binDir, 'calls.log');
  for (const [name, behaviour] of Object.entries(helpers)) {
    let body: string;
    if ('answer' in behaviour) {
      const json = JSON.stringify({ ServerURL: '__SERVER__', ...behaviour.answer }).replace('__SERVER__', '%s');
      body = `printf ${shellQuote(json)} "$server"`;
    } else if ('notFound' in behaviour) {
      body = 'echo "credentials not found in native keychain"; exit 1';
    } else if ('fail' in behaviour) {
      body = `echo ${shellQuote(behaviour.fail.output)}; exit ${behaviour.fail.code}`;
    } else {
      body = `sleep ${behaviour.sleepSeconds}`;
    }
    const script = [
      '#!/bin/sh',
      'server=$(cat)',
      `echo "${name} $* $server" >> ${shellQuote(log)}`,
      body,
      '',
    ].join('\n');
    const path = join(binDir, `docker-credential-${name}`);
    await writeFile(path, script);
    await chmod(path, 0o755);
  }
  return {
    binDir,
    async calls() {
      try {
        return (await readFile(log, 'utf8')).trim().split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
  };
}

/** A DOCKER_CONFIG folder holding exactly this config.json. */
export async function dockerConfigJson(config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'retag-docker-config-'));
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}
