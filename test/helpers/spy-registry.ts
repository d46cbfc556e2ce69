// A fake registry that records every request's Authorization header and asks for credentials
// (Basic, or a Bearer realm on itself), so a test can show that credentials meant for another
// registry never reach it. Optionally it redirects manifest requests to another origin, so a
// test can show that a redirect does not carry them either.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SpiedRequest {
  method: string;
  url: string;
  authorization?: string;
}

export interface SpyRegistry {
  /** `127.0.0.1:PORT` (or the address it listens on), as an image name writes it */
  host: string;
  url: string;
  requests: SpiedRequest[];
  /** the requests that carried an Authorization header */
  withAuthorization(): SpiedRequest[];
  stop(): Promise<void>;
}

export interface SpyOptions {
  /** what /v2/ and every other path answer: a Basic challenge, or a Bearer realm on the spy */
  challenge: 'basic' | 'token';
  /** manifest requests that carry an Authorization header are answered 307 to this origin */
  redirectTo?: string;
  address?: string;
}

export async function startSpyRegistry(options: SpyOptions): Promise<SpyRegistry> {
  const requests: SpiedRequest[] = [];
  let url = '';
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    if (options.redirectTo && req.headers.authorization && req.url?.includes('/manifests/')) {
      res.writeHead(307, { location: `${options.redirectTo}${req.url}` }).end();
      return;
    }
    if (req.url?.startsWith('/token')) {
      // a realm that refuses whoever asks: the test is about what was sent, not what is granted
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const challenge = options.challenge === 'basic' ? 'Basic realm="spy"' : `Bearer realm="${url}/token",service="spy"`;
    res
      .writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' })
      .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, options.address ?? '127.0.0.1', resolve));
  const { port, address } = server.address() as AddressInfo;
  const host = `${address}:${port}`;
  url = `http://${host}`;
  return {
    host,
    url,
    requests,
    withAuthorization: () => requests.filter((request) => request.authorization !== undefined),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
