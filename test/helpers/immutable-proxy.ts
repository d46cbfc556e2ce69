// An immutable-tag registry for race tests (issue 10): a proxy in front of the real registry that
// refuses any manifest PUT onto a tag that already exists with ECR's real answer (400 TAG_INVALID,
// "... cannot be overwritten because the repository is immutable"), and records every request.
// The existence check and the forwarded PUT of one tag run one at a time, as in a real registry.

import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

export interface ImmutableProxy {
  /** `127.0.0.1:PORT`: use it as the registry host in image names */
  host: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function send(upstream: URL, method: string, path: string, headers: IncomingMessage['headers'], body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method, path, headers: { ...headers, host: upstream.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
    });
    out.on('error', reject);
    out.end(body);
  });
}

/** ECR's answer to a PUT onto an existing tag of an IMMUTABLE repository. */
function ecrRefusal(repository: string, tag: string): Buffer {
  const message = `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`;
  return Buffer.from(JSON.stringify({ errors: [{ code: 'TAG_INVALID', message }] }));
}

export async function startImmutableProxy(target: string): Promise<ImmutableProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  /** per manifest path: the tail of the queue of PUTs to it */
  const locks = new Map<string, Promise<unknown>>();

  const handle = async (req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const record: RecordedRequest = { method, path, status: 0 };
    requests.push(record);
    const tagPut = method === 'PUT' ? /^\/v2\/(.+)\/manifests\/([^/:@]+)$/.exec(path) : null;
    let answer: Answer;
    if (tagPut) {
      const previous = locks.get(path) ?? Promise.resolve();
      const turn = previous.then(async () => {
        const head = await send(upstream, 'HEAD', path, { authorization: req.headers.authorization ?? '', accept: '*/*' });
        if (head.status === 200) return { status: 400, headers: { 'content-type': 'application/json' }, body: ecrRefusal(tagPut[1]!, tagPut[2]!) };
        return send(upstream, method, path, req.headers, body);
      });
      locks.set(path, turn.catch(() => undefined));
      answer = await turn;
    } else {
      answer = await send(upstream, method, path, req.headers, body);
    }
    record.status = answer.status;
    const headers = { ...answer.headers };
    if (tagPut && answer.status === 400) headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(method === 'HEAD' ? undefined : answer.body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks), res).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
