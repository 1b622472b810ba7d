/** InfluxDB stores on a fresh database of a running influxd, for tests. */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { InfluxTelemetryStore, type InfluxStoreOptions } from '../influx.js';
import type { StoreHarness } from './conformance.js';

export interface InfluxHarness extends StoreHarness {
  database: string;
  open(over?: Partial<InfluxStoreOptions>): Promise<InfluxTelemetryStore>;
  /** Runs InfluxQL against the harness database and returns the first statement's rows. */
  influxql(q: string): Promise<unknown[][]>;
}

export function influxOptions(url: string, database: string): InfluxStoreOptions {
  return {
    url,
    database,
    retentionPolicy: 'ledwatch_raw',
    createDatabase: true,
    rawRetentionDays: 30,
    gzip: true,
    timeoutMs: 5000,
    batchSize: 5000,
    flushIntervalMs: 10,
    maxBufferedPoints: 100_000,
    retryMaxDelayMs: 200,
    retryBaseDelayMs: 20,
    closeTimeoutMs: 5000,
    log: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  };
}

/** `defaults` apply to every store the harness opens (e.g. `{ gzip: false }`, as the hub writes to a loopback InfluxDB). */
export async function influxHarness(url: string, defaults: Partial<InfluxStoreOptions> = {}): Promise<InfluxHarness> {
  const database = `test_${randomBytes(6).toString('hex')}`;
  const influxql = async (q: string) => {
    const res = await fetch(`${url}/query?${new URLSearchParams({ db: database, epoch: 'ms', q }).toString()}`);
    const json = (await res.json()) as { results: { series?: { values: unknown[][] }[]; error?: string }[] };
    const first = json.results[0];
    if (first?.error !== undefined) throw new Error(first.error);
    return first?.series?.flatMap((s) => s.values) ?? [];
  };
  return {
    database,
    influxql,
    open: (over = {}) => Promise.resolve(new InfluxTelemetryStore({ ...influxOptions(url, database), ...defaults, ...over })),
    async cleanup() {
      await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
    },
  };
}
