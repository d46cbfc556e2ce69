import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostCas, proxyFromEnv } from '../../../src/registry/dispatcher.js';

describe('proxyFromEnv', () => {
  it.each([
    [{}, undefined],
    [{ NO_PROXY: 'x' }, undefined], // NO_PROXY alone: no proxy agent at all
    [{ HTTPS_PROXY: 'http://p:3128' }, { httpProxy: '', httpsProxy: 'http://p:3128', noProxy: '' }],
    [{ HTTP_PROXY: 'http://p:1', NO_PROXY: 'a,b' }, { httpProxy: 'http://p:1', httpsProxy: '', noProxy: 'a,b' }],
    [{ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1', no_proxy: 'l', NO_PROXY: 'u' }, { httpProxy: '', httpsProxy: 'http://lower:1', noProxy: 'l' }],
  ] as [NodeJS.ProcessEnv, unknown][])('%j -> %j', (env, expected) => {
    expect(proxyFromEnv(env)).toEqual(expected);
  });
});

describe('hostCas (docker certs.d)', () => {
  it('every *.crt of the host:port folder, sorted; not client certs or keys; nothing for other hosts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retag-certs-'));
    await mkdir(join(dir, 'registry.lab:5000'));
    await writeFile(join(dir, 'registry.lab:5000', 'ca.crt'), 'CA');
    await writeFile(join(dir, 'registry.lab:5000', 'another.crt'), 'ANOTHER');
    await writeFile(join(dir, 'registry.lab:5000', 'client.cert'), 'CLIENT');
    await writeFile(join(dir, 'registry.lab:5000', 'client.key'), 'KEY');
    expect(hostCas(dir, 'registry.lab:5000')).toEqual(['ANOTHER', 'CA']);
    expect(hostCas(dir, 'registry.lab')).toEqual([]);
    expect(hostCas(join(dir, 'missing'), 'registry.lab:5000')).toEqual([]);
  });
});
