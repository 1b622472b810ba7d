// The ledwatch hub (built dist) in a process of its own, so bench/ingest can measure its CPU
// and RSS apart from the load and influxd. Embedded aedes broker, InfluxDB telemetry store,
// log level warn, state database in --data-dir. Once started, prints one line on stdout,
// `BENCH-HUB {url, mqttUrl, token, pid}` (JSON), among the hub's own log lines; SIGTERM
// closes the hub (flushing buffered points) and exits.
//   node bench/ingest/hub-process.mjs --influx-url http://127.0.0.1:8086 --data-dir /tmp/x [--database ledwatch]
//     [--log-level warn] [--influx-gzip true|false] [--profile-dir /tmp/prof]
import { parseArgs } from 'node:util';
import { ROOT } from '../lib/results.mjs';

const { values } = parseArgs({
  options: {
    'influx-url': { type: 'string' },
    'data-dir': { type: 'string' },
    database: { type: 'string', default: 'ledwatch' },
    'log-level': { type: 'string', default: 'warn' },
    'profile-dir': { type: 'string' },
    'influx-gzip': { type: 'string' },
    'ingest-json': { type: 'string' },
    'alloc-prof': { type: 'boolean', default: false },
    'influx-json': { type: 'string' },
  },
});
const { loadHubConfig, startHub, createAdmin } = await import(`${ROOT}hub/dist/index.js`);

const hub = await startHub(
  loadHubConfig({
    env: {},
    overrides: {
      http: { host: '127.0.0.1', port: 0 },
      mqtt: { host: '127.0.0.1', port: 0 },
      data: { dir: values['data-dir'] },
      log: { level: values['log-level'] },
      ...(values['ingest-json'] !== undefined ? { ingest: JSON.parse(values['ingest-json']) } : {}),
      influx: { url: values['influx-url'], database: values.database, ...(values['influx-gzip'] !== undefined ? { gzip: values['influx-gzip'] === 'true' } : {}), ...(values['influx-json'] !== undefined ? JSON.parse(values['influx-json']) : {}) },
    },
  }),
);
const { token } = await createAdmin(hub.ctx.state, { email: 'bench@example.test' });
process.stdout.write(`BENCH-HUB ${JSON.stringify({ url: hub.url, mqttUrl: hub.mqttUrl, token, pid: process.pid })}\n`);

if (values['profile-dir'] !== undefined) {
  // SIGUSR2 starts a CPU profile, the next one stops it: written to --profile-dir, its path
  // printed as `BENCH-PROFILE <path>` (so a bench profiles only the window it measures).
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const session = new Session();
  session.connect();
  let on = false;
  let n = 0;
  // --alloc-prof: a sampling heap profile instead, of every allocation (collected ones too).
  const alloc = values['alloc-prof'];
  process.on('SIGUSR2', async () => {
    if (!on) {
      on = true;
      if (alloc) {
        await session.post('HeapProfiler.enable');
        await session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
        return;
      }
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 1000 });
      await session.post('Profiler.start');
      return;
    }
    on = false;
    const { profile } = await session.post(alloc ? 'HeapProfiler.stopSampling' : 'Profiler.stop');
    const file = join(values['profile-dir'], `hub-${process.pid}-${++n}.${alloc ? 'heapprofile' : 'cpuprofile'}`);
    writeFileSync(file, JSON.stringify(profile));
    process.stdout.write(`BENCH-PROFILE ${file}\n`);
  });
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const t = setTimeout(() => process.exit(1), 10_000);
  await hub.close().catch((err) => process.stderr.write(`hub close failed: ${err.message}\n`));
  clearTimeout(t);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
