// The parts of undici a run uses, loaded by path rather than through undici's index.
//
// Why: the index loads all of undici (fetch, WebSocket, EventSource, caches, mocks, SOCKS: 110
// modules, about 50 ms on the benchmark machine), while a run needs its HTTP/1.1 client, the
// proxy agent and two interceptors (about 40 modules, 20 ms). Start-up is the one cost of a run
// that is not a round trip, so it counts (issue 4: `npm run bench`, "start-up ms").
//
// undici 7 has no "exports" map, so these paths are public in the Node sense but not promised
// stable by semver. test/unit/registry/undici-parts.test.ts checks that every part is the very
// object the index exports, so a layout change fails CI; at run time a missing file falls back
// to the index, which is slower but behaves the same.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

export interface UndiciParts {
  Agent: typeof Undici.Agent;
  Pool: typeof Undici.Pool;
  EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent;
  buildConnector: typeof Undici.buildConnector;
  interceptors: Pick<typeof Undici.interceptors, 'retry' | 'redirect'>;
  /** where the parts came from, for the test that guards the layout */
  source: 'paths' | 'index';
}

const require = createRequire(import.meta.url);

function byPath(): UndiciParts | undefined {
  try {
    const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype?: unknown };
    const api = require('undici/lib/api/index.js') as object;
    const parts = {
      Agent: require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent,
      Pool: require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool,
      EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent.js') as typeof Undici.EnvHttpProxyAgent,
      buildConnector: require('undici/lib/core/connect.js') as typeof Undici.buildConnector,
      retry: require('undici/lib/interceptor/retry.js') as typeof Undici.interceptors.retry,
      redirect: require('undici/lib/interceptor/redirect.js') as typeof Undici.interceptors.redirect,
    };
    if (typeof Dispatcher.prototype !== 'object' || Dispatcher.prototype === null || !Object.values(parts).every((part) => typeof part === 'function')) return undefined;
    // What undici's index does first: request(), connect() and the rest of the api become methods
    // of every dispatcher. undici relies on it internally (the proxy agent calls connect() on its
    // client), and assigning the same functions again when the index is loaded too is harmless.
    Object.assign(Dispatcher.prototype, api);
    return {
      Agent: parts.Agent,
      Pool: parts.Pool,
      EnvHttpProxyAgent: parts.EnvHttpProxyAgent,
      buildConnector: parts.buildConnector,
      interceptors: { retry: parts.retry, redirect: parts.redirect },
      source: 'paths',
    };
  } catch {
    return undefined;
  }
}

function byIndex(): UndiciParts {
  const undici = require('undici') as typeof Undici;
  return { Agent: undici.Agent, Pool: undici.Pool, EnvHttpProxyAgent: undici.EnvHttpProxyAgent, buildConnector: undici.buildConnector, interceptors: undici.interceptors, source: 'index' };
}

export const undici: UndiciParts = byPath() ?? byIndex();
