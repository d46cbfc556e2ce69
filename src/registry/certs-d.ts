// docker's per-registry certificate folder, /etc/docker/certs.d/<host[:port]>/
// (https://docs.docker.com/engine/security/certificates/): every *.crt is a CA trusted for that
// host only; a *.cert with the *.key of the same name (client.cert + client.key) is the client
// certificate presented to that host (mTLS).
//
// An entry that cannot be read as a file (a folder named x.crt, no read permission, a dangling
// link) is skipped: it trusts nothing, and must not crash the run or fail every request.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_CERTS_DIR = '/etc/docker/certs.d';

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return []; // no folder for this host: nothing extra
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** CAs for one host from a certs.d folder: `<dir>/<host[:port]>/*.crt`. */
export function hostCas(certsDir: string, host: string): string[] {
  const dir = join(certsDir, host);
  return entries(dir)
    .filter((name) => name.endsWith('.crt'))
    .flatMap((name) => readText(join(dir, name)) ?? []);
}

export interface ClientCertificate {
  cert: string;
  key: string;
  /** the file names, for messages */
  files: string;
}

/**
 * The client certificate for one host: the first `*.cert` (client.cert first) whose `*.key` of
 * the same name can be read; docker presents one, and so does retag.
 */
export function clientCertificate(certsDir: string, host: string): ClientCertificate | undefined {
  const dir = join(certsDir, host);
  const names = entries(dir).filter((name) => name.endsWith('.cert'));
  names.sort((a, b) => Number(b === 'client.cert') - Number(a === 'client.cert'));
  for (const name of names) {
    const keyName = `${name.slice(0, -'.cert'.length)}.key`;
    const cert = readText(join(dir, name));
    const key = readText(join(dir, keyName));
    if (cert !== undefined && key !== undefined) return { cert, key, files: `${name} + ${keyName}` };
  }
  return undefined;
}
