import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, test } from 'vitest';
import { loadHubConfig } from '../config.js';
import { HubBus } from '../context.js';
import { SelfMonitor, type HealthCheck } from './heartbeat.js';
import { createNotifyMetrics } from './metrics.js';
import type { HubProblem } from './problems.js';
import { eventually, startReceiver, type TestHttpReceiver } from './test-servers.js';

const healthy = (kind: HealthCheck['kind'], vouches: boolean, state: { ok: boolean }): HealthCheck => ({
  kind,
  vouches,
  run: async () => ({ ok: state.ok, detail: state.ok ? 'fine' : 'does not answer' }),
});

describe('heartbeat and self-checks', () => {
  let receiver: TestHttpReceiver | undefined;
  let monitor: SelfMonitor | undefined;
  afterEach(async () => {
    await monitor?.close();
    await receiver?.close();
    receiver = monitor = undefined;
  });

  function setup(notify: Record<string, unknown>, checks: HealthCheck[] = []) {
    const bus = new HubBus();
    const problems: HubProblem[] = [];
    bus.on('hub-problem', (p) => problems.push(p));
    const registry = new Registry();
    const config = loadHubConfig({ env: {}, overrides: { notify } }).notify;
    monitor = new SelfMonitor({ ctx: { bus, log: pino({ level: 'silent' }), now: Date.now }, config, metrics: createNotifyMetrics(registry), checks, version: '9.9.9' });
    return { monitor, problems, registry };
  }

  test('the hub calls the heartbeat URL as soon as it starts, with GET by default', async () => {
    receiver = await startReceiver({ statuses: [200] });
    const { monitor: m, registry } = setup({ heartbeatUrl: receiver.url, heartbeatEveryS: 60 });
    m.start();
    const first = await eventually(() => receiver?.received[0]);
    expect(first.headers['user-agent']).toBe('ledwatch-hub');
    expect(first.body).toBe('');
    const counted = await eventually(async () => ((await registry.getSingleMetricAsString('ledwatch_heartbeats_total')).includes('{result="ok"} 1') ? true : undefined));
    expect(counted).toBe(true);
  });

  test('with POST the heartbeat carries the hub status, version and active problems', async () => {
    receiver = await startReceiver({ statuses: [200] });
    const store = { ok: false };
    const { monitor: m } = setup({ heartbeatUrl: receiver.url, heartbeatMethod: 'POST' }, [healthy('store-unreachable', false, store)]);
    expect(await m.beat()).toBe('ok');
    expect(receiver.received[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toEqual({ status: 'degraded', version: '9.9.9', uptimeS: expect.any(Number), problems: ['store-unreachable'] });
  });

  test('without a heartbeat URL nothing is called, but the self-checks still run', async () => {
    const store = { ok: false };
    const { monitor: m, problems } = setup({}, [healthy('store-unreachable', false, store)]);
    expect(await m.beat()).toBe('off');
    expect(problems).toMatchObject([{ kind: 'store-unreachable', active: true, detail: 'does not answer' }]);
  });

  test('while the state database fails its check the heartbeat stops, so the outside monitor raises the alarm', async () => {
    receiver = await startReceiver({ statuses: [200] });
    const state = { ok: false };
    const { monitor: m, problems } = setup({ heartbeatUrl: receiver.url }, [healthy('state-unreachable', true, state)]);
    expect(await m.beat()).toBe('skipped');
    expect(receiver.received).toEqual([]);
    state.ok = true;
    expect(await m.beat()).toBe('ok');
    expect(problems.map((p) => [p.kind, p.active])).toEqual([
      ['state-unreachable', true],
      ['state-unreachable', false],
    ]);
  });

  test('a heartbeat URL that keeps failing is reported as a hub problem, and cleared when it answers again', async () => {
    receiver = await startReceiver({ statuses: [500, 500, 500, 200] });
    const { monitor: m, problems, registry } = setup({ heartbeatUrl: receiver.url });
    expect([await m.beat(), await m.beat()]).toEqual(['failed', 'failed']);
    expect(problems).toEqual([]);
    expect(await m.beat()).toBe('failed');
    expect(problems).toMatchObject([{ kind: 'heartbeat-failing', active: true, detail: expect.stringMatching(/failed 3 times in a row: HTTP 500$/) }]);
    expect(problems[0]?.detail).not.toContain('/hook'); // only the origin: the path may hold a token
    expect(await m.beat()).toBe('ok');
    expect(problems.at(-1)).toMatchObject({ kind: 'heartbeat-failing', active: false });
    expect(await registry.getSingleMetricAsString('ledwatch_heartbeats_total')).toContain('ledwatch_heartbeats_total{result="failed"} 3');
  });
});
