// Real services for the bench scripts: the tests' own helpers (test/support/services.ts and
// influxd.ts, loaded through tsx so the benches still run on plain `node`), plus the few
// InfluxDB HTTP calls the benches need.
import { register } from 'tsx/esm/api';
import { ROOT } from './results.mjs';

register();
const support = await import(`${ROOT}test/support/services.ts`);
const influxd = await import(`${ROOT}test/support/influxd.ts`);

export const { findCommand, freePort, stopProcess, waitFor } = support;
export const tempDir = (prefix) => support.tempDir(`bench-${prefix}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A real influxd 1.x (test/support/influxd.ts); `data` adds lines to its [data] section. */
export const startInfluxd = ({ data = [], env = {} } = {}) => influxd.startInfluxd({ data, env });

/** A real Mosquitto on a free loopback port, anonymous, with `extraConfig` appended. */
export const startMosquitto = (extraConfig = '') => support.startMosquitto(`allow_anonymous true\n${extraConfig}`);

/** An InfluxQL statement over /query (POST for statements that change things); returns `results`. */
export async function influxQuery(url, q, { db, post = false } = {}) {
  const params = new URLSearchParams({ q, epoch: 'ms' });
  if (db !== undefined) params.set('db', db);
  const res = await fetch(`${url}/query?${params}`, { method: post ? 'POST' : 'GET' });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`InfluxDB ${res.status}: ${JSON.stringify(body)}`);
  const err = body.results?.find((r) => r.error !== undefined);
  if (err) throw new Error(`InfluxQL: ${err.error} (${q})`);
  return body.results ?? [];
}

/** Points accepted by influxd's /write since it started (expvar httpd.pointsWrittenOK). */
export async function influxPointsWritten(url) {
  const res = await fetch(`${url}/debug/vars`);
  const vars = await res.json();
  const httpd = Object.values(vars).find((v) => v?.name === 'httpd');
  return Number(httpd?.values?.pointsWrittenOK ?? 0);
}
