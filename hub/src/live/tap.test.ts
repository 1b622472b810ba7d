import { describe, expect, test } from 'vitest';
import { HubBus } from '../context.js';
import { type TelemetryPoint, type TelemetryStore, toTelemetryPoints } from '../telemetry/store.js';
import { tapTelemetry } from './tap.js';

function fakeStore(): TelemetryStore & { written: TelemetryPoint[][] } {
  const written: TelemetryPoint[][] = [];
  return {
    kind: 'sqlite',
    written,
    write: (points) => {
      written.push([...points]);
      return Promise.resolve({ accepted: points.length, rejected: 0 });
    },
    writeReadings: (owner, readings, offsetMs) => {
      written.push(toTelemetryPoints(owner, readings, offsetMs));
      return Promise.resolve({ accepted: readings.length, rejected: 0 });
    },
    room: () => undefined,
    latest: () => Promise.resolve([]),
    query: () => Promise.resolve([]),
    health: () => Promise.resolve({ ok: true }),
    stats: () => ({ buffered: 0, waitingWriters: 0, written: 0, rejected: 0, retries: 0 }),
    close: () => Promise.resolve(),
  };
}

const point: TelemetryPoint = { customerId: 'c', siteId: 's', agentId: 'a', deviceId: 'd', component: '', at: 1, metrics: { t: 1 } };

describe('tapTelemetry', () => {
  test('announces each batch on the bus and still stores it, answering what the store answered', async () => {
    const bus = new HubBus();
    const store = fakeStore();
    const tapped = tapTelemetry(bus, store);
    const seen: (readonly TelemetryPoint[])[] = [];
    bus.on('readings', (p) => seen.push(p));
    await expect(tapped.write([point])).resolves.toEqual({ accepted: 1, rejected: 0 });
    expect(seen).toEqual([[point]]);
    expect(store.written).toEqual([[point]]);
    expect(tapped.kind).toBe('sqlite');
  });

  test('announces the readings ingest hands over, on corrected time, as points', async () => {
    const bus = new HubBus();
    const store = fakeStore();
    const seen: (readonly TelemetryPoint[])[] = [];
    bus.on('readings', (p) => seen.push(p));
    const owner = { customerId: 'c', siteId: 's', agentId: 'a' };
    await tapTelemetry(bus, store).writeReadings(owner, [{ device: 'd', at: 1, metrics: { t: 1 } }], 5);
    expect(seen).toEqual([[{ ...point, at: 6 }]]);
    expect(store.written).toEqual([[{ ...point, at: 6 }]]);
  });

  test('a listener that throws never stops the write', async () => {
    const bus = new HubBus();
    const store = fakeStore();
    bus.on('readings', () => {
      throw new Error('broken dashboard');
    });
    await expect(tapTelemetry(bus, store).write([point])).resolves.toEqual({ accepted: 1, rejected: 0 });
    expect(store.written).toHaveLength(1);
  });
});
