// The parts of undici a run uses, imported by path rather than through undici's index.
//
// Why: the index loads all of undici (fetch, WebSocket, EventSource, caches, mocks, SOCKS: 110
// modules, about 50 ms on the benchmark machine), while a run needs its HTTP/1.1 client, the
// proxy agent and two interceptors (about 40 modules, 20 ms). Start-up is the one cost of a run
// that is not a round trip, so it counts (issue 4: `npm run bench`, "start-up ms").
//
// undici 7 has no "exports" map, so these paths are public in the Node sense but not promised
// stable by semver. The build bundles them (scripts/build.mjs), so a moved file fails the build,
// and test/unit/registry/undici-parts.test.ts checks that each is the very object the index
// exports. Types: src/types/undici-lib.d.ts.
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import retry from 'undici/lib/interceptor/retry.js';
import redirect from 'undici/lib/interceptor/redirect.js';

// What undici's index does first: request(), connect() and the rest of the api become methods of
// every dispatcher. undici relies on it internally (the proxy agent calls connect() on its
// client); assigning the same functions again when the index is loaded too is harmless.
Object.assign(Dispatcher.prototype, api);

export const undici = { Agent, Pool, EnvHttpProxyAgent, interceptors: { retry, redirect } };
