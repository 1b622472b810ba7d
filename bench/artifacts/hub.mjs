// The hub of bench/artifacts in its own process, so its RSS and CPU are its own: starts on
// loopback with a data dir from argv[2], prints {url, token} as one JSON line, stops on SIGTERM.
import { ROOT } from '../lib/results.mjs';

const { loadHubConfig, startHub, createAdmin } = await import(`${ROOT}hub/dist/index.js`);
const hub = await startHub(
  loadHubConfig({ env: { LEDWATCH_LOG_LEVEL: 'warn' }, overrides: { http: { host: '127.0.0.1', port: 0 }, mqtt: { host: '127.0.0.1', port: 0 }, data: { dir: process.argv[2] } } }),
);
const { token } = await createAdmin(hub.ctx.state, { email: 'bench@example.test' });
process.stdout.write(`${JSON.stringify({ url: hub.url, token })}\n`);
process.once('SIGTERM', () => void hub.close().then(() => process.exit(0)));
