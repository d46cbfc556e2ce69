// `npm run bench [-- --images N --delay MS --concurrency C --repeat R --skopeo-images K --timeout S]`
// What a retag run costs against a slow registry, next to skopeo doing the same job.
//
// Starts Debian's docker-registry with token auth (the Docker Hub flow) behind a latency proxy
// that adds --delay ms (default 50) to every request; the token server gets the same delay. Seeds
// N images of the four manifest kinds, one repository each, then in one run times, as real
// processes: a dry-run, `retag apply` (--repeat times, median shown), a rerun, `retag apply` with one token request per
// repository (the other token strategy), and skopeo doing the same job C-wide: per image
// `skopeo inspect --raw` of the target, then `skopeo copy --all --preserve-digests` source -> tag.
// Requests are counted at the proxy and the token server, not by retag itself.
// Not part of `npm test`: it takes a minute or more and its figures depend on the machine.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isManifestPath, startLatencyProxy, type LatencyProxy } from '../test/helpers/latency-proxy.js';
import { startProxiedPath, type ProxiedPath } from './bench-proxy.js';
import { startRegistry, type TestRegistry } from '../test/helpers/registry-process.js';
import { SEED_KINDS_V2 } from '../test/helpers/seed.js';
import { BENCH_SOURCE_TAG as SRC, seedBench, tagFile } from './bench-setup.js';
import type { MinimalJob } from './minimal-client.js';

// .build/scripts/bench.js -> the project root
const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(root, 'bin', 'retag.js');
const TIME_BIN = '/usr/bin/time';

const { values: flags } = parseArgs({
  options: {
    images: { type: 'string', default: '200' },
    delay: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    // skopeo takes seconds per image: by default it does at most 200 of them and its time is
    // scaled to N (said so in the table)
    'skopeo-images': { type: 'string' },
    'no-skopeo': { type: 'boolean', default: false },
    // the whole benchmark stops (and says so) after this many seconds
    timeout: { type: 'string', default: '1200' },
    'seed-concurrency': { type: 'string', default: '4' },
    // `retag apply` runs this many times (each creating its own tags); the table shows the median
    repeat: { type: 'string', default: '3' },
  },
});

function whole(name: string, value: string | undefined, min: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    process.stderr.write(`bench: --${name} must be a whole number >= ${min}, got "${value}"\n`);
    process.exit(2);
  }
  return parsed;
}

const N = whole('images', flags.images, 1);
const DELAY = whole('delay', flags.delay, 0);
const C = whole('concurrency', flags.concurrency, 1);
const TIMEOUT_S = whole('timeout', flags.timeout, 10);
const SEED_C = whole('seed-concurrency', flags['seed-concurrency'], 1);
const REPEAT = whole('repeat', flags.repeat, 1);
if (REPEAT % 2 === 0) {
  // an even count has no middle run; taking the faster of the two would flatter the figure
  process.stderr.write(`bench: --repeat must be odd (1, 3, 5, ...), so the median is one of the runs; got ${REPEAT}\n`);
  process.exit(2);
}
const SKOPEO_N = flags['no-skopeo'] ? 0 : Math.min(N, whole('skopeo-images', flags['skopeo-images'] ?? String(Math.min(N, 200)), 0));

interface PhaseResult {
  name: string;
  images: number;
  wallMs: number;
  manifestRequests: number;
  manifestGets: number;
  manifestPuts: number;
  otherRequests: number;
  tokenFetches: number;
  connections: number;
  /** mean time the registry (or its proxy) took per request, beyond the added delay */
  serverMs: number;
  peakRssKiB?: number;
  /** retag's own start-up: node, modules and tag files, until the first request could go */
  startupMs?: number;
  /** round trips per image a minimal client needs for this job */
  floorTrips: number;
  /** where the wall time went, from the proxy's clock (retag runs only) */
  breakdown?: Breakdown;
  /** how many runs this row is the median of, and their fastest and slowest wall times */
  runs?: number;
  spread?: [number, number];
  ok: boolean;
  note?: string;
}

/**
 * A run's wall time in four parts, seen at the proxy: before the first request (process start,
 * modules, tag files), then until the first manifest request (the /v2/ ping and the first token),
 * then until the last answer (the manifest requests), then until the process ended.
 */
interface Breakdown {
  startMs: number;
  authMs: number;
  manifestsMs: number;
  exitMs: number;
  /** manifest phase per round of C requests, and what it holds beyond the delay */
  roundMs: number;
  registryMs: number;
}

const children = new Set<ReturnType<typeof spawn>>();

/** Runs a command, killing it after `timeoutMs`; resolves with exit code, stdout and stderr. */
function exec(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

function ensureSkopeo(): boolean {
  if (spawnSync('skopeo', ['--version']).status === 0) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    process.stdout.write('skopeo is missing; installing it with apt-get (Debian package skopeo)...\n');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'skopeo'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (spawnSync('skopeo', ['--version']).status === 0) return true;
  }
  process.stdout.write('skopeo is not installed: `sudo apt-get install -y skopeo` (Debian/Ubuntu); its column is skipped.\n');
  return false;
}

interface Counters {
  proxy: LatencyProxy;
  registry: TestRegistry;
}

async function measure<T>(
  counters: Counters,
  body: () => Promise<T>,
): Promise<{ value: T; wallMs: number; manifestRequests: number; manifestGets: number; manifestPuts: number; otherRequests: number; tokenFetches: number; connections: number; serverMs: number; breakdown?: Breakdown }> {
  const fromProxy = counters.proxy.requests.length;
  const fromConnections = counters.proxy.connections;
  const fromRealm = counters.registry.tokenServer!.requests.length;
  const started = performance.now();
  const value = await body();
  const wallMs = performance.now() - started;
  const seen = counters.proxy.requests.slice(fromProxy);
  const manifests = seen.filter((r) => isManifestPath(r.path));
  const firstManifest = manifests[0];
  const lastAnswer = seen.reduce((latest, r) => Math.max(latest, r.answeredAt), 0);
  const breakdown: Breakdown | undefined =
    seen.length > 0 && firstManifest
      ? {
          startMs: seen[0]!.receivedAt - started,
          authMs: firstManifest.receivedAt - seen[0]!.receivedAt,
          manifestsMs: lastAnswer - firstManifest.receivedAt,
          exitMs: started + wallMs - lastAnswer,
          roundMs: (lastAnswer - firstManifest.receivedAt) / (manifests.length / C),
          registryMs: manifests.reduce((sum, r) => sum + r.upstreamMs, 0) / manifests.length,
        }
      : undefined;
  return {
    breakdown,
    value,
    wallMs,
    manifestRequests: manifests.length,
    manifestGets: manifests.filter((r) => r.method === 'GET').length,
    manifestPuts: manifests.filter((r) => r.method === 'PUT').length,
    otherRequests: seen.length - manifests.length,
    tokenFetches: counters.registry.tokenServer!.requests.length - fromRealm,
    connections: counters.proxy.connections - fromConnections,
    serverMs: seen.length > 0 ? seen.reduce((sum, r) => sum + r.upstreamMs, 0) / seen.length : 0,
  };
}

interface RetagRun {
  name: string;
  /** the arguments after `apply`; a function of the repetition (0, 1, ...) when repeated */
  args: string[] | ((repetition: number) => string[]);
  env?: NodeJS.ProcessEnv;
  expect: Partial<Record<'created' | 'pending' | 'exists', number>>;
  floorTrips: number;
  /** run it this many times (each on its own tag file) and report the median */
  repeat?: number;
}

/** Runs `run` `run.repeat` times and returns the run with the median wall time, the spread noted. */
async function retagPhase(counters: Counters, run: RetagRun, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PhaseResult> {
  const times = run.repeat ?? 1;
  const all: PhaseResult[] = [];
  for (let i = 0; i < times; i++) all.push(await retagOnce(counters, run, i, env, timeoutMs));
  if (all.some((r) => !r.ok)) return all.find((r) => !r.ok)!;
  const sorted = [...all].sort((a, b) => a.wallMs - b.wallMs);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  if (times === 1) return median;
  // peak memory is the highest of all the runs, not the median's
  const peakRssKiB = Math.max(...all.map((r) => r.peakRssKiB ?? 0)) || undefined;
  return { ...median, peakRssKiB, runs: times, spread: [sorted[0]!.wallMs, sorted[sorted.length - 1]!.wallMs] };
}

async function retagOnce(counters: Counters, run: RetagRun, repetition: number, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PhaseResult> {
  const runArgs = typeof run.args === 'function' ? run.args(repetition) : run.args;
  const args = [BIN, 'apply', '--output', 'json', '--log-level', 'info', '--log-format', 'json', '--concurrency', String(C), ...runArgs];
  const m = await measure(counters, () => exec(process.execPath, args, { env: { ...env, ...run.env }, timeoutMs }));
  const { code, stdout, stderr, timedOut } = m.value;
  let ok = code === 0 && !timedOut;
  let note: string | undefined = timedOut ? `timed out after ${timeoutMs / 1000} s` : undefined;
  try {
    const summary = (JSON.parse(stdout) as { summary: Record<string, number> }).summary;
    for (const [status, count] of Object.entries(run.expect)) {
      if (summary[status] !== count) {
        ok = false;
        note = `expected ${count} ${status}, got ${JSON.stringify(summary)}`;
      }
    }
  } catch {
    ok = false;
    note ??= `no JSON report (exit ${code}): ${stderr.slice(0, 300)}`;
  }
  const logLine = <T>(message: string): T | undefined =>
    stderr
      .split('\n')
      .filter((line) => line.includes(`"${message}"`))
      .map((line) => JSON.parse(line) as T)[0];
  const finished = logLine<{ maxRssKiB?: number }>('retag run finished');
  const starting = logLine<{ startupMs?: number }>('retag run starting');
  return { name: run.name, images: N, ...m, peakRssKiB: finished?.maxRssKiB, startupMs: starting?.startupMs, floorTrips: run.floorTrips, ok, note };
}

/** skopeo C-wide: per image, `inspect --raw` of the target (the existence check), then `copy --all --preserve-digests`. */
async function skopeoPhase(counters: Counters, repos: string[], host: string, creds: string, timeoutMs: number): Promise<PhaseResult> {
  const useTime = spawnSync(TIME_BIN, ['-f', '%M', 'true']).status === 0;
  let peak = 0;
  let failures = 0;
  const run = async (args: string[]): Promise<number | null> => {
    const command = useTime ? TIME_BIN : 'skopeo';
    const full = useTime ? ['-f', 'maxrss=%M', 'skopeo', ...args] : args;
    const result = await exec(command, full, { timeoutMs });
    const rss = /maxrss=(\d+)/.exec(result.stderr);
    if (rss) peak = Math.max(peak, Number(rss[1]));
    return result.code;
  };
  const m = await measure(counters, async () => {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < repos.length) {
        const repo = repos[next++]!;
        const target = `docker://${host}/${repo}:rel-skopeo`;
        const exists = await run(['inspect', '--raw', '--tls-verify=false', '--creds', creds, target]);
        if (exists === 0) continue; // already there: nothing to copy
        const copied = await run([
          '--insecure-policy', 'copy', '--all', '--preserve-digests', '--quiet',
          '--src-tls-verify=false', '--dest-tls-verify=false', '--src-creds', creds, '--dest-creds', creds,
          `docker://${host}/${repo}:${SRC}`, target,
        ]);
        if (copied !== 0) failures += 1;
      }
    };
    await Promise.all(Array.from({ length: C }, lane));
  });
  return {
    name: 'skopeo inspect + copy',
    images: repos.length,
    ...m,
    peakRssKiB: useTime ? peak : undefined,
    floorTrips: 3,
    ok: failures === 0,
    note: failures > 0 ? `${failures} copies failed` : undefined,
  };
}

const MINIMAL_BIN = join(root, '.build', 'scripts', 'minimal-client.js');

/** The minimal client (scripts/minimal-client.ts) as its own process, on the same proxy. */
async function minimalPhase(counters: Counters, name: string, job: MinimalJob, floorTrips: number, work: string, timeoutMs: number): Promise<PhaseResult> {
  const file = join(work, `minimal-${job.mode}-${job.tag}.json`);
  await writeFile(file, JSON.stringify(job));
  const m = await measure(counters, () => exec(process.execPath, [MINIMAL_BIN, file], { timeoutMs }));
  const { code, stdout, stderr, timedOut } = m.value;
  let failed = 0;
  try {
    failed = (JSON.parse(stdout) as { failed: number }).failed;
  } catch {
    failed = -1;
  }
  const ok = code === 0 && !timedOut && failed === 0;
  return { name, images: job.repositories.length, ...m, floorTrips, ok, note: ok ? undefined : `exit ${code}, ${failed} failed: ${stderr.slice(0, 200)}` };
}

/** retag next to the minimal client doing the same job, in the same run: the ratios. */
function sideBySide(results: PhaseResult[]): { lines: string; ratios: Record<string, number> } {
  const wall = (name: string) => results.find((r) => r.name === name && r.ok)?.wallMs;
  const pairs: [string, string, string, string][] = [
    ['dry-run', 'retag apply --dry-run', 'minimal: HEADs in parallel (new tags)', 'minimal: HEADs in sequence (new tags)'],
    ['rerun', 'retag apply (rerun)', 'minimal: HEADs in parallel (existing tags)', 'minimal: HEADs in sequence (existing tags)'],
    ['apply', 'retag apply', 'minimal: HEAD, GET, PUT', 'minimal: HEAD, GET, PUT'],
  ];
  const ratios: Record<string, number> = {};
  const header = ['job', 'retag s', 'minimal, HEADs in parallel s', 'retag / parallel', 'minimal, sequential s', 'retag / sequential'];
  const rows = pairs.map(([job, retag, parallel, sequential]) => {
    const r = wall(retag);
    const p = job === 'apply' ? undefined : wall(parallel);
    const q = wall(sequential);
    if (r && p) ratios[`${job}/parallel`] = r / p;
    if (r && q) ratios[`${job}/sequential`] = r / q;
    const s = (ms?: number) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));
    const x = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(2)}x` : '-');
    return [job, s(r), s(p), x(r, p), s(q), x(r, q)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return { lines: [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'), ratios };
}

function formatTable(results: PhaseResult[], skopeo: PhaseResult | undefined): string {
  const perImageMs = (r: PhaseResult) => r.wallMs / r.images;
  const skopeoScaledMs = skopeo ? perImageMs(skopeo) * N : undefined;
  const header = ['run', 'images', 'wall s', 'manifest req/image', 'manifest GETs', 'other req', 'token fetches', 'connections', 'registry ms/req', 'start-up ms', 'peak RSS MiB', 'floor s', 'x floor', 'skopeo / this'];
  const rows = results.map((r) => {
    const floorMs = (r.images * r.floorTrips * DELAY) / C;
    const scaledMs = perImageMs(r) * N;
    return [
      !r.ok ? `${r.name} (FAILED: ${r.note ?? '?'})` : r.runs ? `${r.name} (median of ${r.runs})` : r.name,
      String(r.images),
      (r.wallMs / 1000).toFixed(2) + (r.spread ? ` (${(r.spread[0] / 1000).toFixed(2)}-${(r.spread[1] / 1000).toFixed(2)})` : ''),
      (r.manifestRequests / r.images).toFixed(2),
      String(r.manifestGets),
      String(r.otherRequests),
      String(r.tokenFetches),
      String(r.connections),
      r.serverMs.toFixed(1),
      r.startupMs === undefined ? '-' : String(r.startupMs),
      r.peakRssKiB ? (r.peakRssKiB / 1024).toFixed(1) : '-',
      (floorMs / 1000).toFixed(2),
      floorMs > 0 ? (r.wallMs / floorMs).toFixed(2) : '-',
      skopeoScaledMs && r !== skopeo ? (skopeoScaledMs / scaledMs).toFixed(1) : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Where each retag run's time went (see Breakdown), in ms. */
function formatBreakdown(results: PhaseResult[]): string {
  const header = ['run', 'before 1st request', 'ping + 1st token', 'manifest requests', 'exit', `ms per round of ${C}`, 'registry ms/manifest req'];
  const rows = results
    .filter((r) => r.breakdown && r.startupMs !== undefined)
    .map((r) => {
      const b = r.breakdown!;
      return [r.name, b.startMs, b.authMs, b.manifestsMs, b.exitMs, b.roundMs, b.registryMs].map((v) => (typeof v === 'number' ? v.toFixed(v < 100 ? 1 : 0) : v));
    });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The targets (issue 14), each with its measured figure. */
function targets(results: PhaseResult[], skopeo: PhaseResult | undefined, ratios: Record<string, number>): string {
  const apply = results.find((r) => r.name === 'retag apply');
  if (!apply) return '';
  const lines = ['targets:'];
  const check = (label: string, value: string, met: boolean) => lines.push(`  ${met ? 'met   ' : 'MISSED'}  ${label}: ${value}`);
  const ratio = (key: string, limit: number, label: string) => {
    const value = ratios[key];
    if (value !== undefined) check(label, `${value.toFixed(2)}x`, value <= limit);
  };
  ratio('dry-run/parallel', 1.3, 'dry-run within 1.3x of the minimal client sending the two HEADs in parallel');
  ratio('rerun/parallel', 1.3, 'rerun within 1.3x of the minimal client sending the two HEADs in parallel');
  ratio('apply/sequential', 1.2, 'apply within 1.2x of the sequential minimal client (HEAD, GET, PUT)');
  if (skopeo) {
    const times = (skopeo.wallMs / skopeo.images) / (apply.wallMs / apply.images);
    check('at least 5x faster than skopeo', `${times.toFixed(2)}x`, times >= 5);
  }
  const peak = Math.max(...results.filter((r) => r.name.startsWith('retag')).map((r) => r.peakRssKiB ?? 0)) / 1024;
  check(`peak RSS under 100 MiB (at ${N} images)`, `${peak.toFixed(1)} MiB`, peak > 0 && peak < 100);
  const retagRuns = results.filter((r) => r.name.startsWith('retag'));
  const newTagRuns = retagRuns.filter((r) => r.name === 'retag apply' || r.name.includes('token request per repository'));
  check(
    'at most one GET and one PUT per new tag',
    newTagRuns.map((r) => `${(r.manifestGets / r.images).toFixed(2)} GET + ${(r.manifestPuts / r.images).toFixed(2)} PUT per image`).join(' / '),
    newTagRuns.every((r) => r.manifestGets <= r.images && r.manifestPuts <= r.images),
  );
  const headOnly = retagRuns.filter((r) => r.name.includes('dry-run') || r.name.includes('rerun'));
  check('no GET in dry-run or rerun', headOnly.map((r) => `${r.manifestGets} GETs`).join(' / '), headOnly.every((r) => r.manifestGets === 0));
  return lines.join('\n');
}

async function main(): Promise<number> {
  const deadline = setTimeout(() => {
    process.stderr.write(`bench: stopped after --timeout ${TIMEOUT_S} s\n`);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  }, TIMEOUT_S * 1000);
  deadline.unref();

  const skopeo = SKOPEO_N > 0 && ensureSkopeo();
  process.stdout.write(
    `retag benchmark: ${N} images, ${DELAY} ms added to every request (token server included), ` +
      `${C} at a time; ${cpus().length} CPUs, Node ${process.version}\n`,
  );
  const registry = await startRegistry({ auth: 'token', tokenExpiresInSeconds: 600 });
  const proxy = await startLatencyProxy({ target: registry.url, delayMs: 0 });
  const work = await mkdtemp(join(tmpdir(), 'retag-bench-'));
  let proxied: ProxiedPath | undefined;
  try {
    const repos = Array.from({ length: N }, (_, i) => `bench/image-${String(i).padStart(5, '0')}`);
    const seeding = performance.now();
    await seedBench(registry, repos, SEED_C);
    process.stdout.write(`seeded ${N} images (${SEED_KINDS_V2.join(', ')}) in ${((performance.now() - seeding) / 1000).toFixed(1)} s\n`);

    const files: Record<string, string> = { single: 'rel-single' };
    for (let i = 1; i <= REPEAT; i++) files[`batched-${i}`] = `rel-batched-${i}`;
    for (const [file, tag] of Object.entries(files)) await writeFile(join(work, `${file}.yaml`), tagFile(proxy.host, repos, tag));
    const auth = Buffer.from(`admin:${registry.users.admin}`).toString('base64');
    await writeFile(join(work, 'config.json'), JSON.stringify({ auths: { [proxy.host]: { auth } } }));
    const env = { DOCKER_CONFIG: work };

    // the slow network starts here
    proxy.delayMs = DELAY;
    registry.tokenServer!.delayMs = DELAY;
    const counters = { proxy, registry };
    // a phase may take 10x its floor plus start-up before it is called stuck
    const phaseTimeout = (trips: number) => 30_000 + (10 * N * trips * Math.max(DELAY, 5)) / C;
    const runs: RetagRun[] = [
      { name: 'retag apply --dry-run', args: ['--dry-run', join(work, 'batched-1.yaml')], expect: { pending: N }, floorTrips: 2 },
      { name: 'retag apply', args: (i) => [join(work, `batched-${i + 1}.yaml`)], expect: { created: N }, floorTrips: 3, repeat: REPEAT },
      { name: 'retag apply (rerun)', args: [join(work, 'batched-1.yaml')], expect: { exists: N }, floorTrips: 2 },
      {
        name: 'retag apply, a token request per repository',
        args: [join(work, 'single.yaml')],
        env: { RETAG_TOKEN_SCOPES_PER_REQUEST: '1' },
        expect: { created: N },
        floorTrips: 3,
      },
    ];
    // the apply row again through an HTTPS proxy with TLS (bench-proxy.ts): connections = tunnels
    proxied = await startProxiedPath(proxy.host, work, auth);
    await writeFile(join(work, 'proxied.yaml'), tagFile(proxied.host, repos, 'rel-proxied'));
    runs.push({ name: 'retag apply through an HTTPS proxy', args: [...proxied.args, join(work, 'proxied.yaml')], env: proxied.env, expect: { created: N }, floorTrips: 3 });
    const results: PhaseResult[] = [];
    for (const run of runs) {
      process.stdout.write(`running: ${run.name}...\n`);
      results.push(await retagPhase(counters, run, env, phaseTimeout(run.floorTrips)));
    }
    // the minimal client on the same registry and proxy: new tags for the HEAD checks (as a
    // dry-run sees them), the rerun's existing tags, and its own new tags for the copy
    const job = (mode: MinimalJob['mode'], tag: string): MinimalJob => ({
      mode,
      base: proxy.url,
      repositories: repos,
      source: SRC,
      tag,
      concurrency: C,
      username: 'admin',
      password: registry.users.admin!,
    });
    const minimal: [string, MinimalJob, number][] = [
      ['minimal: HEADs in parallel (new tags)', job('check-par', 'rel-never'), 1],
      ['minimal: HEADs in sequence (new tags)', job('check-seq', 'rel-never'), 2],
      ['minimal: HEADs in parallel (existing tags)', job('check-par', 'rel-batched-1'), 1],
      ['minimal: HEADs in sequence (existing tags)', job('check-seq', 'rel-batched-1'), 2],
      ['minimal: HEAD, GET, PUT', job('apply', 'rel-minimal'), 3],
    ];
    for (const [name, minimalJob, trips] of minimal) {
      process.stdout.write(`running: ${name}...\n`);
      results.push(await minimalPhase(counters, name, minimalJob, trips, work, phaseTimeout(trips)));
    }
    let skopeoResult: PhaseResult | undefined;
    if (skopeo) {
      process.stdout.write(`running: skopeo on ${SKOPEO_N} images...\n`);
      skopeoResult = await skopeoPhase(counters, repos.slice(0, SKOPEO_N), proxy.host, `admin:${registry.users.admin}`, phaseTimeout(40));
      results.push(skopeoResult);
    }
    process.stdout.write(`\n${formatTable(results, skopeoResult)}\n`);
    process.stdout.write(`\nwhere retag's time went (ms, at the proxy's clock; a round is ${C} requests in parallel, ${DELAY} ms of it the added delay):\n${formatBreakdown(results)}\n`);
    process.stdout.write(
      `\nfloor = images x round trips a minimal client needs (3 for a new tag, 2 HEADs otherwise) x ${DELAY} ms / ${C}.\n` +
        `skopeo / this = skopeo's time per image / this run's time per image` +
        (skopeoResult && SKOPEO_N < N ? ` (skopeo ran ${SKOPEO_N} of the ${N} images).\n` : '.\n') +
        'Wall times include process start-up; requests are counted at the proxy (other req = /v2/ pings, blob requests) and the token server.\n',
    );
    process.stdout.write(`\nthrough the HTTPS proxy: ${proxied.tunnels()} CONNECT tunnels in all (TLS with a test CA, the same added latency per request)\n`);
    const side = sideBySide(results);
    process.stdout.write(`\nretag next to the minimal client (scripts/minimal-client.ts: one keep-alive agent, one token for every repository), same run, same proxy:\n${side.lines}\n`);
    process.stdout.write(`\n${targets(results, skopeoResult, side.ratios)}\n`);
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    await proxied?.stop();
    await proxy.stop();
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  },
);
