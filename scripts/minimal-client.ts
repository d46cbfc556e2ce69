// The floor retag is measured against (issue 14): the least a client can do for the same job, as
// its own node process so both pay a process start. One keep-alive undici Agent, one /v2/ ping,
// one token for every repository (asked in chunks of 100 scopes, at once), then per image:
//   apply:      HEAD target, GET source, PUT target (new tags), one after the other
//   check-seq:  HEAD target, then HEAD source (a rerun or dry-run done sequentially)
//   check-par:  HEAD target and HEAD source at the same moment
// `concurrency` images at a time. No retries, no checks beyond the status: a floor, not a tool.
// Usage: node .build/scripts/minimal-client.js JOB.json   (see MinimalJob; prints the counts as JSON)

import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

export interface MinimalJob {
  mode: 'apply' | 'check-seq' | 'check-par';
  /** http://host:port of the registry (or its proxy) */
  base: string;
  repositories: string[];
  source: string;
  tag: string;
  concurrency: number;
  username: string;
  password: string;
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as MinimalJob;
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  const counts = { HEAD: 0, GET: 0, PUT: 0, token: 0, failed: 0 };
  const send = async (method: 'HEAD' | 'GET' | 'PUT', url: string, headers: Record<string, string>, body?: Buffer) => {
    if (method !== 'GET' || !url.endsWith('/v2/')) counts[method] += 1;
    const answer = await request(url, { method, headers, body, dispatcher, reset: false });
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    return { status: answer.statusCode, headers: answer.headers, bytes };
  };

  // the realm from one ping, then one token covering every repository
  const ping = await send('GET', `${job.base}/v2/`, {});
  const challenge = String(ping.headers['www-authenticate'] ?? '');
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const service = /service="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const actions = job.mode === 'apply' ? 'pull,push' : 'pull';
  const basic = `Basic ${Buffer.from(`${job.username}:${job.password}`).toString('base64')}`;
  const tokens = new Map<string, string>();
  const chunks: string[][] = [];
  for (let i = 0; i < job.repositories.length; i += 100) chunks.push(job.repositories.slice(i, i + 100));
  await Promise.all(
    chunks.map(async (chunk) => {
      const params = new URLSearchParams({ service });
      for (const repo of chunk) params.append('scope', `repository:${repo}:${actions}`);
      counts.token += 1;
      const answer = await request(`${realm}?${params.toString()}`, { headers: { authorization: basic }, dispatcher });
      const { token } = (await answer.body.json()) as { token: string };
      for (const repo of chunk) tokens.set(repo, token);
    }),
  );

  const image = async (repo: string): Promise<void> => {
    const auth = { authorization: `Bearer ${tokens.get(repo)!}`, accept: ACCEPT };
    const url = (reference: string) => `${job.base}/v2/${repo}/manifests/${reference}`;
    if (job.mode === 'check-par') {
      await Promise.all([send('HEAD', url(job.tag), auth), send('HEAD', url(job.source), auth)]);
      return;
    }
    const target = await send('HEAD', url(job.tag), auth);
    if (job.mode === 'check-seq') {
      await send('HEAD', url(job.source), auth);
      return;
    }
    if (target.status !== 404) return;
    const source = await send('GET', url(job.source), auth);
    const put = await send('PUT', url(job.tag), { authorization: auth.authorization, 'content-type': String(source.headers['content-type']) }, source.bytes);
    if (put.status !== 201) counts.failed += 1;
  };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < job.repositories.length) await image(job.repositories[next++]!);
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  await dispatcher.close();
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`minimal client failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
