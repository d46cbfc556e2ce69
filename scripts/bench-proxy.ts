// The bench's row through an HTTPS proxy (issue 11): the same registry and latency proxy as the
// direct rows, reached as `registry.test:PORT` (a name only the proxy resolves) through a CONNECT
// proxy, with TLS from a throwaway CA in front of the latency proxy, so every request pays the
// same added latency plus a tunnel and a TLS handshake per connection. The CONNECTs counted here
// are the tunnels retag opened: with keep-alive, at most --concurrency of them.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTestCa, startProxy, startTlsFront, type TestProxy, type TlsFront } from '../test/helpers/tls-proxy.js';

export interface ProxiedPath {
  /** the registry's name in image references on this path */
  host: string;
  /** environment and arguments for `retag apply` on this path */
  env: NodeJS.ProcessEnv;
  args: string[];
  /** CONNECTs the proxy has answered so far */
  tunnels(): number;
  stop(): Promise<void>;
}

/**
 * Puts a TLS front and a CONNECT proxy in front of `upstream` (the latency proxy's host:port), and
 * writes what retag needs into `work`: the CA (--ca-file) and a docker config with `auth` for the new name.
 */
export async function startProxiedPath(upstream: string, work: string, auth: string): Promise<ProxiedPath> {
  const [upstreamHost, upstreamPort] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  const ca = await makeTestCa(['registry.test'], []);
  let front: TlsFront | undefined;
  let proxy: TestProxy | undefined;
  try {
    front = await startTlsFront(ca, { host: upstreamHost, port: upstreamPort });
    const host = `registry.test:${front.port}`;
    proxy = await startProxy({ [host]: { host: '127.0.0.1', port: front.port } });
    const dir = join(work, 'proxied');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'ca.pem'), ca.caPem);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }));
    const started = proxy;
    const startedFront = front;
    return {
      host,
      env: { HTTPS_PROXY: proxy.url, DOCKER_CONFIG: dir },
      args: ['--ca-file', join(dir, 'ca.pem')],
      tunnels: () => started.seen.filter((s) => s.startsWith('CONNECT ')).length,
      stop: async () => {
        await started.close();
        await startedFront.close();
      },
    };
  } catch (error) {
    await proxy?.close();
    await front?.close();
    throw error;
  }
}
