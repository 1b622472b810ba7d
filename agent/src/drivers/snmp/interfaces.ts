/**
 * The `if-mib` profile as readings: one per interface (component = ifName, else
 * `if<index>`) and one for the switch.
 *
 * Interface metrics: operStatus, adminStatus, inErrors, outErrors, inOctets, outOctets
 * (64-bit HC counters, raw: the hub computes rates), speedMbps, lastChangeS, descr, alias,
 * ifIndex, and flapsLastHour from a {@link snmp.LinkFlapTracker} fed once per poll.
 * Interface state: `warn` when it flapped in the last hour or is down while admin up;
 * `ok` otherwise (an admin-down port is shut on purpose).
 *
 * Switch metrics: sysDescr, sysName, uptimeS (sysUpTime, s — the same name the host driver
 * uses), interfaces, interfacesUp, interfacesDown (admin up but not oper up) and
 * flapsLastHour summed; state `warn` when any reported interface flapped, else `ok`.
 */
import { snmp, type MetricValue, type Reading } from '@ledwatch/protocols';
import type { SnmpClient } from './client.js';
import { wildcard } from './options.js';
import { clip, describeProblems, readProfile, type Identity, type ProfileReader } from './read.js';

export const IF_CAPABILITIES = ['interfaces', 'link-flaps', 'uptime'];

const SYSTEM_PROFILE: snmp.SnmpProfile = { name: 'system', scalars: snmp.IF_MIB.scalars.filter((s) => s.metric !== 'uptimeS') };
const TABLE = snmp.IF_MIB.tables?.[0] as snmp.TableDef;

export interface InterfaceReaderOptions {
  maxRepetitions: number;
  /** Wildcard patterns on ifName, ifDescr or `if<index>`; all interfaces when absent. */
  interfaces?: readonly string[];
}

function identity(metrics: Readonly<Record<string, MetricValue>>): Identity {
  const id: Identity = {};
  if (typeof metrics.sysDescr === 'string' && metrics.sysDescr !== '') id.model = clip(metrics.sysDescr, 128);
  if (typeof metrics.sysName === 'string' && metrics.sysName !== '') id.name = clip(metrics.sysName, 200);
  return id;
}

export function interfaceReader(deviceId: string, options: InterfaceReaderOptions): ProfileReader {
  const tracker = new snmp.LinkFlapTracker();
  const patterns = options.interfaces?.map(wildcard);
  const wanted = (index: string, row: Readonly<Record<string, MetricValue>>): boolean =>
    patterns === undefined || [row.name, row.descr, `if${index}`].some((v) => typeof v === 'string' && patterns.some((p) => p.test(v)));
  const tracked = new Set<string>();

  return {
    capabilities: IF_CAPABILITIES,
    async identify(client: SnmpClient) {
      return identity((await readProfile(client, SYSTEM_PROFILE, options.maxRepetitions)).scalars.metrics);
    },
    async poll(client: SnmpClient, at: number) {
      const data = await readProfile(client, snmp.IF_MIB, options.maxRepetitions);
      const rows = data.tables.get(TABLE.name)?.rows ?? new Map<string, Record<string, MetricValue>>();
      const components = new Set<string>();
      const readings: Reading[] = [];
      const totals = { interfaces: 0, interfacesUp: 0, interfacesDown: 0, flapsLastHour: 0 };
      for (const [index, row] of rows) {
        if (row.operStatus === undefined) continue; // a half-walked row: nothing to say about its link
        const flaps = tracker.observe({
          ifIndex: index,
          operStatus: String(row.operStatus),
          now: at,
          ...(typeof row.lastChangeS === 'number' && { lastChange: row.lastChangeS }),
          ...(row.adminStatus !== undefined && { adminStatus: String(row.adminStatus) }),
        });
        if (!wanted(index, row)) continue;
        let component = clip(snmp.rowComponent(TABLE, index, row), 128);
        if (components.has(component)) component = `if${index}`; // two interfaces with one ifName
        components.add(component);
        const { name: _name, ...metrics } = row;
        const up = row.operStatus === 'up';
        const down = !up && row.adminStatus !== 'down';
        Object.assign(metrics, { ifIndex: Number(index), flapsLastHour: flaps.flapsLastHour });
        readings.push({ device: deviceId, component, at, metrics, state: flaps.flapsLastHour > 0 || down ? 'warn' : 'ok' });
        totals.interfaces++;
        if (up) totals.interfacesUp++;
        if (down) totals.interfacesDown++;
        totals.flapsLastHour += flaps.flapsLastHour;
      }
      for (const index of tracked) if (!rows.has(index)) tracker.forget(index);
      tracked.clear();
      for (const index of rows.keys()) tracked.add(index);
      const device: Reading = {
        device: deviceId,
        at,
        metrics: { ...data.scalars.metrics, ...totals },
        state: totals.flapsLastHour > 0 ? 'warn' : 'ok',
      };
      return { readings: [device, ...readings], identity: identity(data.scalars.metrics), problems: describeProblems(data) };
    },
  };
}
