/**
 * The `ups-mib` profile (RFC 1628) as readings: one for the UPS and one per input and
 * output line (components `in1`, `out1`, …).
 *
 * The UPS reading carries the battery, output-source and alarm scalars, the derived
 * `onBattery` and `lowBattery`, and `inputVoltageV` of input line 1. Its state, worst first:
 *   - `fault` — battery low or depleted (the load drops soon, on battery or not);
 *   - `warn`  — on battery, or alarms present;
 *   - `unknown` — the agent has neither battery status nor output source (not a UPS-MIB agent);
 *   - `ok` otherwise.
 * Identity strings (manufacturer, model, software version) go to the inventory, not readings.
 */
import { snmp, type MetricValue, type Reading } from '@ledwatch/protocols';
import type { SnmpClient } from './client.js';
import { clip, describeProblems, readProfile, type Identity, type ProfileReader } from './read.js';

export const UPS_CAPABILITIES = ['ups', 'battery', 'input', 'output', 'alarms'];

const IDENT_METRICS = ['manufacturer', 'model', 'softwareVersion'];
const IDENT_PROFILE: snmp.SnmpProfile = { name: 'ups-ident', scalars: snmp.UPS_MIB.scalars.filter((s) => IDENT_METRICS.includes(s.metric)) };

export function upsState(m: Readonly<Record<string, MetricValue>>): NonNullable<Reading['state']> {
  if (m.lowBattery === true) return 'fault';
  if (m.onBattery === true || (typeof m.alarmsPresent === 'number' && m.alarmsPresent > 0)) return 'warn';
  if (m.batteryStatus === undefined && m.outputSource === undefined) return 'unknown';
  return 'ok';
}

function upsIdentity(metrics: Readonly<Record<string, MetricValue>>): Identity {
  const text = (key: string): string | undefined => {
    const v = metrics[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const identity: Identity = {};
  const model = [text('manufacturer'), text('model')].filter((s) => s !== undefined).join(' ');
  if (model !== '') identity.model = clip(model, 128);
  const firmware = text('softwareVersion');
  if (firmware !== undefined) identity.firmware = clip(firmware, 128);
  return identity;
}

export function upsReader(deviceId: string, maxRepetitions: number): ProfileReader {
  return {
    capabilities: UPS_CAPABILITIES,
    async identify(client: SnmpClient) {
      const { scalars } = await readProfile(client, IDENT_PROFILE, maxRepetitions);
      return upsIdentity(scalars.metrics);
    },
    async poll(client: SnmpClient, at: number) {
      const data = await readProfile(client, snmp.UPS_MIB, maxRepetitions);
      const metrics: Record<string, MetricValue> = {};
      for (const [key, value] of Object.entries(data.scalars.metrics)) if (!IDENT_METRICS.includes(key)) metrics[key] = value;
      const line1 = data.tables.get('input')?.rows.get('1')?.voltageV;
      if (line1 !== undefined) metrics.inputVoltageV = line1;
      const readings: Reading[] = [{ device: deviceId, at, metrics, state: upsState(metrics) }];
      for (const table of snmp.UPS_MIB.tables ?? []) {
        for (const [index, row] of data.tables.get(table.name)?.rows ?? []) {
          readings.push({ device: deviceId, component: clip(snmp.rowComponent(table, index, row), 128), at, metrics: row });
        }
      }
      return { readings, identity: upsIdentity(data.scalars.metrics), problems: describeProblems(data) };
    },
  };
}
