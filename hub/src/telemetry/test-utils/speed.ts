/** Helpers of the speed printouts (measured and printed, never asserted against a clock). */
import { performance } from 'node:perf_hooks';
import type { TelemetryPoint, TelemetryStore } from '../store.js';

/**
 * Writes the way ingest makes them: one write per MQTT message, each from one agent with
 * `devices` devices and `times` readings of each (live: times = 1; an outbox flushed after
 * an outage: times = 100), six metrics per reading, 10 s apart.
 */
export function agentWrites(opts: { agents: number; devices: number; times: number; messages: number; start: number }): TelemetryPoint[][] {
  return Array.from({ length: opts.messages }, (_, m) => {
    const agent = m % opts.agents;
    const round = Math.floor(m / opts.agents);
    const points: TelemetryPoint[] = [];
    for (let t = 0; t < opts.times; t++) {
      for (let d = 0; d < opts.devices; d++) {
        const i = round * opts.times + t;
        points.push({
          customerId: 'cust-1',
          siteId: `site-${agent}`,
          agentId: `agent-${agent}`,
          deviceId: `dev-${d}`,
          component: '',
          at: opts.start + i * 10_000,
          metrics: { temperatureC: 20 + (i % 13), voltageV: 12 + (i % 7) / 10, fanRpm: 1200 + (i % 50), powerW: 300 + d, doorOpen: i % 17 === 0, link: 'up' },
        });
      }
    }
    return points;
  });
}

/** Readings per second for writing `writes`, keeping `concurrent` write() calls in flight. */
export async function measureWrites(store: TelemetryStore, writes: TelemetryPoint[][], concurrent: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let w = writes[next++]; w !== undefined; w = writes[next++]) await store.write(w);
  };
  await Promise.all(Array.from({ length: concurrent }, worker));
  return writes.reduce((n, w) => n + w.length, 0) / ((performance.now() - started) / 1000);
}

export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? Number.NaN;
}

export function report(line: string): void {
  process.stdout.write(`[telemetry speed] ${line}\n`);
}
