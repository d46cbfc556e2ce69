// `npm run bench:serve [-- --images N --delay MS]`: the benchmark's setup (scripts/bench.ts) started
// once and left running, so one row can be run again and again in seconds instead of the whole
// bench's minutes (peak RSS while trying a setting, a --cpu-prof or --heap-prof of one run).
//
// Starts the token-auth registry behind the latency proxy and the HTTPS proxy path of the bench,
// seeds N images, creates the rerun's tags once, then writes WORK/row.sh and prints how to call it:
//   sh WORK/row.sh dry-run|apply|rerun|proxied [retag apply options...]
// Each call runs `retag apply` for that row (apply and proxied on fresh tags each time) and prints
// the row's wall time and the peak RSS from retag's 'retag run finished' log line. Ctrl-C stops it.

import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLatencyProxy } from '../test/helpers/latency-proxy.js';
import { startRegistry } from '../test/helpers/registry-process.js';
import { BENCH_SOURCE_TAG, seedBench, tagFile } from './bench-setup.js';
import { startProxiedPath } from './bench-proxy.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(root, 'bin', 'retag.js');

const { values: flags } = parseArgs({
  options: {
    images: { type: 'string', default: '2000' },
    delay: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
  },
});
const N = Number(flags.images);
const DELAY = Number(flags.delay);
const C = Number(flags.concurrency);

/** The shell script behind `row.sh`: one retag run per call, its wall time and peak RSS printed. */
function rowScript(work: string, proxied: { host: string; env: NodeJS.ProcessEnv; args: string[] }): string {
  const proxiedEnv = Object.entries(proxied.env)
    .map(([name, value]) => `${name}=${value ?? ''}`)
    .join(' ');
  return `#!/bin/sh
# sh row.sh dry-run|apply|rerun|proxied [retag apply options...]   (written by scripts/bench-serve.ts)
set -e
row=$1; shift
work='${work}'
fresh="rel-$(date +%s%N)"
case $row in
  dry-run) file=$work/never.yaml; set -- --dry-run "$@"; envs="DOCKER_CONFIG=$work" ;;
  rerun)   file=$work/exists.yaml; envs="DOCKER_CONFIG=$work" ;;
  apply)   file=$work/$fresh.yaml; sed "s/@TAG@/$fresh/" $work/direct.template > $file; envs="DOCKER_CONFIG=$work" ;;
  proxied) file=$work/$fresh.yaml; sed "s/@TAG@/$fresh/" $work/proxied.template > $file; envs="${proxiedEnv}"; set -- ${proxied.args.join(' ')} "$@" ;;
  *) echo "row: dry-run, apply, rerun or proxied" >&2; exit 2 ;;
esac
start=$(date +%s%N)
env $envs \${NODE:-node} \${NODE_FLAGS:-} '${BIN}' apply --output json --log-level info --log-format json --concurrency ${C} "$@" "$file" > $work/last.json 2> $work/last.log || echo "exit $?" >&2
end=$(date +%s%N)
rss=$(grep -o '"maxRssKiB":[0-9]*' $work/last.log | cut -d: -f2)
summary=$(sed -n '/"summary"/,/}/p' $work/last.json | tr -d ' \\n')
echo "$row: wall $(( (end - start) / 1000000 )) ms, peak RSS $(( rss / 1024 )) MiB ($rss KiB), $summary, load $(cut -d' ' -f1-3 /proc/loadavg)"
`;
}

async function main(): Promise<void> {
  const registry = await startRegistry({ auth: 'token', tokenExpiresInSeconds: 3600 });
  const proxy = await startLatencyProxy({ target: registry.url, delayMs: 0 });
  const work = await mkdtemp(join(tmpdir(), 'retag-bench-serve-'));
  const repos = Array.from({ length: N }, (_, i) => `bench/image-${String(i).padStart(5, '0')}`);
  const seeding = performance.now();
  await seedBench(registry, repos, 4);
  process.stdout.write(`seeded ${N} images in ${((performance.now() - seeding) / 1000).toFixed(1)} s\n`);
  const auth = Buffer.from(`admin:${registry.users.admin}`).toString('base64');
  await writeFile(join(work, 'config.json'), JSON.stringify({ auths: { [proxy.host]: { auth } } }));
  const proxied = await startProxiedPath(proxy.host, work, auth);
  await writeFile(join(work, 'never.yaml'), tagFile(proxy.host, repos, 'rel-never'));
  await writeFile(join(work, 'exists.yaml'), tagFile(proxy.host, repos, 'rel-exists'));
  await writeFile(join(work, 'direct.template'), tagFile(proxy.host, repos, '@TAG@'));
  await writeFile(join(work, 'proxied.template'), tagFile(proxied.host, repos, '@TAG@'));
  await writeFile(join(work, 'row.sh'), rowScript(work, proxied));
  // the rerun's tags, created once before the delay starts (asynchronously: the proxy and the
  // token server answer from this process's event loop)
  await promisify(execFile)(process.execPath, [BIN, 'apply', '--output', 'json', '--concurrency', String(C), join(work, 'exists.yaml')], {
    env: { ...process.env, DOCKER_CONFIG: work },
    maxBuffer: 64 * 1024 * 1024,
  });
  proxy.delayMs = DELAY;
  registry.tokenServer!.delayMs = DELAY;
  process.stdout.write(`ready (${DELAY} ms per request, source tag ${BENCH_SOURCE_TAG}): sh ${join(work, 'row.sh')} dry-run|apply|rerun|proxied [options]\n`);
  const stop = async () => {
    // the proxies wait for keep-alive sockets to close: whatever is left is ended after a moment
    setTimeout(() => process.exit(0), 3_000).unref();
    await rm(work, { recursive: true, force: true });
    await registry.stop();
    await proxied.stop();
    await proxy.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-serve failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
