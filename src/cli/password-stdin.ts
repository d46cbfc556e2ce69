// `--password-stdin`, the docker login convention: a secret never sits in argv or shell history.
import { Secret } from '../registry/secret.js';
import { UsageError } from './exit-codes.js';

export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<Secret> {
  // On a terminal nothing would say that retag is waiting for a password: it is for pipes only.
  if ((stdin as { isTTY?: boolean }).isTTY) {
    throw new UsageError('--password-stdin reads a piped password; use `echo "$PASSWORD" | retag apply --username NAME --password-stdin ...`');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password.length === 0) throw new UsageError('--password-stdin was given but standard input was empty; pipe the password in');
  return new Secret(password);
}
