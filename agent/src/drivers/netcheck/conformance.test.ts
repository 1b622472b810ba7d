/**
 * The netcheck driver against the shared driver conformance suite: the peer is a loopback
 * HTTP server, and a silent peer accepts connections but never answers.
 */
import { describeDriverConformance } from '../../test-utils/conformance.js';
import { netcheckDriverFactory } from './driver.js';
import { startHttpServer } from './test-utils/servers.js';

describeDriverConformance('netcheck', {
  factory: netcheckDriverFactory(),
  start: async () => {
    const server = await startHttpServer();
    return {
      device: {
        id: 'net',
        kind: 'netcheck',
        pollIntervalS: 10,
        options: { targets: [{ name: 'cms', type: 'http', url: server.url, timeoutMs: 300 }] },
      },
      silence: () => {
        server.silence();
        return Promise.resolve();
      },
      cleanup: () => server.close(),
    };
  },
});
