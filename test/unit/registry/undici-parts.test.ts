// undici-parts.ts imports undici's client by file path to keep the index's 110 modules out of
// start-up. Those paths are not covered by semver, so this guards them: every part must be the
// very object undici's index exports, and the index's one side effect (the api methods on
// Dispatcher.prototype) must be in place. When an undici update moves a file, this fails (and so
// does the build). This process also loads the index, for the comparison; that the bundle works
// without it is shown by the integration tests, e.g. network.test.ts, whose proxy tunnel needs
// the connect() method only the prototype assignment provides.
import * as Undici from 'undici';
import { describe, expect, it } from 'vitest';
import { undici } from '../../../src/registry/undici-parts.js';

describe('undici parts imported by path', () => {
  it('are the objects the index exports', () => {
    expect(undici.Agent).toBe(Undici.Agent);
    expect(undici.Pool).toBe(Undici.Pool);
    expect(undici.EnvHttpProxyAgent).toBe(Undici.EnvHttpProxyAgent);
    expect(undici.interceptors.retry).toBe(Undici.interceptors.retry);
    expect(undici.interceptors.redirect).toBe(Undici.interceptors.redirect);
  });

  it('give every dispatcher the api methods the index adds', () => {
    const agent = new undici.Agent();
    for (const method of ['request', 'stream', 'pipeline', 'upgrade', 'connect'] as const) {
      expect(typeof agent[method]).toBe('function');
      expect(agent[method]).toBe(Undici.Dispatcher.prototype[method]);
    }
    void agent.close();
  });
});
