// undici-parts.ts loads undici's client by file path to keep the index's 110 modules out of
// start-up. Those paths are not covered by semver, so this guards them: every part must be the
// very object undici's index exports, and the index's one side effect (the api methods on
// Dispatcher.prototype) must be reproduced. When an undici update moves a file, this fails.
// It runs the built dist/ in a fresh Node, so it sits with the integration tests (npm test builds).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

/** Runs `script` in a fresh Node (its own module cache), from the project root. */
function fresh<T>(script: string): T {
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' })) as T;
}

describe('undici parts loaded by path', () => {
  it('are the objects the index exports, with the api methods in place before the index loads', () => {
    const result = fresh<Record<string, unknown>>(`
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const { undici: parts } = await import('./dist/registry/undici-parts.js');
      const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
      const methods = () => Object.getOwnPropertyNames(Dispatcher.prototype).sort();
      const beforeIndex = methods();
      const modules = Object.keys(require.cache).filter((p) => p.includes('/node_modules/undici/')).length;
      const index = require('undici');
      // whatever the index adds to every dispatcher, undici-parts added already
      const apiBeforeIndex = JSON.stringify(beforeIndex) === JSON.stringify(methods()) && beforeIndex.includes('request') && beforeIndex.includes('connect');
      console.log(JSON.stringify({
        source: parts.source, apiBeforeIndex,
        same: [parts.Agent === index.Agent, parts.Pool === index.Pool, parts.EnvHttpProxyAgent === index.EnvHttpProxyAgent, parts.buildConnector === index.buildConnector,
               parts.interceptors.retry === index.interceptors.retry, parts.interceptors.redirect === index.interceptors.redirect,
               Dispatcher === index.Dispatcher],
        modules, indexModules: Object.keys(require.cache).filter((p) => p.includes('/node_modules/undici/')).length,
      }));
    `);
    expect(result.source).toBe('paths');
    expect(result.apiBeforeIndex).toBe(true);
    expect(result.same).toEqual([true, true, true, true, true, true, true]);
    expect(result.modules as number).toBeLessThan((result.indexModules as number) / 2);
  });
});
