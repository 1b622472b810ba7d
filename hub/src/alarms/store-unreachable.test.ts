import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningInfluxd, startInfluxd } from '../../../test/support/influxd.js';
import { serviceAvailable } from '../../../test/support/services.js';
import { createTestContext } from '../test-utils/context.js';

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('a real InfluxDB going away is a hub alarm', () => {
  let influxd: RunningInfluxd;
  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    await influxd.stop();
  });

  it('influxd killed: the self-check raises hub-store-unreachable; back again: the next check clears it', async () => {
    const ctx = await createTestContext({ config: { influx: { url: influxd.url, database: 'ledwatch' } } });
    try {
      const hubAlarms = () => ctx.state.sqlite.prepare("select type, severity, state, message from alarms where agent_id = 'hub' order by id").all();
      await ctx.notify.monitor.beat();
      expect(hubAlarms()).toEqual([]);

      await influxd.kill();
      await ctx.notify.monitor.beat();
      expect(hubAlarms()).toEqual([{ type: 'hub-store-unreachable', severity: 'fault', state: 'active', message: expect.stringMatching(/^telemetry store unreachable: /) }]);

      await influxd.restart();
      await ctx.notify.monitor.beat();
      expect(hubAlarms()).toMatchObject([{ type: 'hub-store-unreachable', state: 'cleared' }]);
    } finally {
      if (!influxd.running()) await influxd.restart();
      await ctx.cleanup();
    }
  });
});
