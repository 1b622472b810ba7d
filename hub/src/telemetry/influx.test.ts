import { afterAll, beforeAll, describe } from 'vitest';
import { type RunningInfluxd, startInfluxd } from '../../../test/support/influxd.js';
import { serviceAvailable } from '../../../test/support/services.js';
import { describeTelemetryStore } from './test-utils/conformance.js';
import { influxHarness } from './test-utils/influx-harness.js';

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('against a real influxd', () => {
  let influxd: RunningInfluxd | undefined;
  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    await influxd?.stop();
  });

  // Both bodies the hub sends: gzip (InfluxDB elsewhere) and plain text (`auto` on loopback).
  describeTelemetryStore('InfluxDB (gzip)', () => influxHarness(influxd?.url ?? 'http://influxd-not-started'));
  describeTelemetryStore('InfluxDB (plain text)', () => influxHarness(influxd?.url ?? 'http://influxd-not-started', { gzip: false }));
});
