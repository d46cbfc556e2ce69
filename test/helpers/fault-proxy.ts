// A small HTTP proxy on 127.0.0.1 in front of the real registry, for the fault-injection suite:
// retag is pointed at the proxy's 127.0.0.1:PORT as the registry host; the proxy forwards every
// request untouched (WWW-Authenticate included, so the token flow works) unless a fault matches
// the request's method and path, and records what it saw.

import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultAction =
  /** answer this instead of the registry */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string | Buffer }
  /** close the connection without an answer */
  | { kind: 'reset' }
  /**
   * forward to the registry (which acts on it), then close the connection instead of answering;
   * `meanwhile` runs between the registry's answer and the close (another writer, say)
   */
  | { kind: 'drop-answer'; meanwhile?: () => Promise<void> }
  /** forward, send the headers and half the body, then close the connection */
  | { kind: 'truncate' }
  /** never answer */
  | { kind: 'hang' }
  /** forward, then change one byte of the body (still valid JSON), keeping Docker-Content-Digest */
  | { kind: 'alter-body' }
  /** answer a redirect to this URL (or to what the function makes of the request path) */
  | { kind: 'redirect'; location: string | ((path: string) => string); status?: number }
  /** forward after a pause */
  | { kind: 'delay'; ms: number };

export interface Fault {
  method?: string;
  /** the request path (with query), exactly or by pattern */
  path: string | RegExp;
  /** how many matching requests get the fault; every one when absent */
  times?: number;
  action: FaultAction;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** the fault applied, if any */
  fault?: FaultAction['kind'];
  /** the status sent back (0 for a reset or a hang) */
  status?: number;
}

export interface FaultProxy {
  /** `127.0.0.1:PORT`: use it as the registry host in image names */
  host: string;
  url: string;
  requests: ProxiedRequest[];
  add(...faults: Fault[]): void;
  clear(): void;
  close(): Promise<void>;
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method !== method) return false;
  return typeof fault.path === 'string' ? fault.path === path : fault.path.test(path);
}

/** Changes one hex digit of the first digest in a manifest: valid JSON, same length, other bytes. */
export function alterOneByte(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  const at = copy.indexOf('sha256:');
  const index = at >= 0 ? at + 7 : Math.floor(copy.length / 2);
  copy[index] = copy[index] === 0x61 ? 0x62 : 0x61; // 'a' <-> 'b'
  return copy;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const faults: (Fault & { used: number })[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    record: ProxiedRequest,
    alter: boolean,
    drop: false | (() => Promise<void>) = false,
    truncate = false,
  ) => {
    const headers = { ...req.headers, host: upstream.host };
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          let data: Buffer = Buffer.concat(chunks);
          if (alter && data.length > 0) data = alterOneByte(data);
          record.status = answer.statusCode ?? 0;
          if (drop) {
            void drop().finally(() => req.socket.destroy());
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (truncate) {
            res.write(data.subarray(0, Math.floor(data.length / 2)), () => setTimeout(() => req.socket.destroy(), 20));
            return;
          }
          res.end(req.method === 'HEAD' ? undefined : data);
        });
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const record: ProxiedRequest = { method, path };
      requests.push(record);
      const fault = faults.find((f) => matches(f, method, path) && (f.times === undefined || f.used < f.times));
      const body = Buffer.concat(chunks);
      if (!fault) {
        forward(req, body, res, record, false);
        return;
      }
      fault.used += 1;
      const action = fault.action;
      record.fault = action.kind;
      switch (action.kind) {
        case 'status':
          record.status = action.status;
          res.writeHead(action.status, action.headers);
          res.end(method === 'HEAD' ? undefined : action.body);
          return;
        case 'reset':
          record.status = 0;
          req.socket.destroy();
          return;
        case 'hang':
          record.status = 0;
          return;
        case 'drop-answer':
          forward(req, body, res, record, false, action.meanwhile ?? (() => Promise.resolve()));
          return;
        case 'truncate':
          forward(req, body, res, record, false, false, true);
          return;
        case 'alter-body':
          forward(req, body, res, record, true);
          return;
        case 'redirect':
          record.status = action.status ?? 307;
          res.writeHead(action.status ?? 307, { location: typeof action.location === 'string' ? action.location : action.location(path) });
          res.end();
          return;
        case 'delay':
          setTimeout(() => forward(req, body, res, record, false), action.ms);
          return;
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    requests,
    add: (...added) => faults.push(...added.map((f) => ({ ...f, used: 0 }))),
    clear: () => {
      faults.length = 0;
      requests.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A second origin for redirects: serves fixed answers by path and records every request (headers and body). */
export interface RecordingOrigin {
  url: string;
  seen: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  serve(path: string, answer: { status?: number; headers?: Record<string, string>; body: Buffer }): void;
  close(): Promise<void>;
}

/** `host`: another loopback address (127.0.0.2) makes it another host as well as another port. */
export async function startRecordingOrigin(host = '127.0.0.1'): Promise<RecordingOrigin> {
  const answers = new Map<string, { status?: number; headers?: Record<string, string>; body: Buffer }>();
  const seen: RecordingOrigin['seen'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.get(req.url ?? '');
      if (!answer) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(answer.status ?? 200, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    seen,
    serve: (path, answer) => answers.set(path, answer),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
