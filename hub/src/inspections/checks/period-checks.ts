/**
 * Checks over the month's data on the hub: uptime per device, alarms and tickets of the
 * period, SLA compliance, temperature and voltage peaks, cards that went missing,
 * recurring problems. Seasonal checks (rainy, typhoon, winter) read the same peaks.
 */
import { pass, problem, type Check, type CheckResult } from './types.js';

const round2 = (n: number): number => Math.round(n * 100) / 100;

export const uptime: Check = (i) => {
  const span = Math.max(1, i.period.periodEnd - i.period.periodStart);
  return i.period.uptime.map((u) => {
    const pct = round2(Math.max(0, 100 - (u.downMs / span) * 100));
    const params = { pct, hours: round2(u.downMs / 3_600_000) };
    const subject = u.device === '' ? 'agent' : u.device;
    if (pct < i.thresholds.uptimeFailPct) return problem('uptime', 'operations', 'fail', 'low', params, subject);
    if (pct < i.thresholds.uptimeWarnPct) return problem('uptime', 'operations', 'warn', 'low', params, subject);
    return pass('uptime', 'operations', params, subject);
  });
};

export const alarmsAndTickets: Check = (i) => {
  const a = i.period.alarms;
  const t = i.period.tickets;
  const params = { alarms: a.total, critical: a.critical, opened: t.opened, closed: t.closed, open: t.open };
  if (a.critical > 0 || t.open > 0) return [problem('alarms-tickets', 'operations', 'warn', 'attention', params)];
  return [pass('alarms-tickets', 'operations', params)];
};

export const sla: Check = (i) => {
  const b = i.period.tickets.slaBreaches;
  return [b > 0 ? problem('sla', 'operations', 'fail', 'breached', { breaches: b, tickets: i.period.tickets.opened }) : pass('sla', 'operations', { tickets: i.period.tickets.opened })];
};

const peaksOf = (i: Parameters<Check>[0], metrics: readonly string[]) => i.period.peaks.filter((p) => metrics.includes(p.metric));

export const temperature: Check = (i) => {
  const rows = peaksOf(i, ['temperatureC']).filter((p) => p.max !== null);
  if (rows.length === 0) return [];
  const hottest = rows.reduce((a, b) => ((b.max ?? -Infinity) > (a.max ?? -Infinity) ? b : a));
  const params = { max: hottest.max ?? 0, device: hottest.device, limit: i.thresholds.temperatureWarnC };
  if ((hottest.max ?? 0) >= i.thresholds.temperatureFailC) return [problem('temperature', 'operations', 'fail', 'hot', { ...params, limit: i.thresholds.temperatureFailC })];
  if ((hottest.max ?? 0) >= i.thresholds.temperatureWarnC) return [problem('temperature', 'operations', 'warn', 'hot', params)];
  return [pass('temperature', 'operations', params)];
};

export const voltage: Check = (i) => {
  const rows = peaksOf(i, ['voltageV']);
  if (rows.length === 0) return [];
  const low = rows.filter((p) => p.min !== null && p.min < i.thresholds.voltageLowV);
  const high = rows.filter((p) => p.max !== null && p.max > i.thresholds.voltageHighV);
  const out: CheckResult[] = [];
  if (low.length > 0) out.push(problem('voltage', 'operations', 'warn', 'low', { devices: low.map((p) => `${p.device} ${p.min ?? ''} V`).slice(0, 10).join(', '), limit: i.thresholds.voltageLowV }));
  if (high.length > 0) out.push(problem('voltage', 'operations', 'warn', 'high', { devices: high.map((p) => `${p.device} ${p.max ?? ''} V`).slice(0, 10).join(', '), limit: i.thresholds.voltageHighV }));
  const min = Math.min(...rows.map((p) => p.min ?? Infinity));
  const max = Math.max(...rows.map((p) => p.max ?? -Infinity));
  return out.length > 0 ? out : [pass('voltage', 'operations', { min, max })];
};

export const missingCards: Check = (i) => {
  const m = i.period.missingCards;
  return [m.length > 0 ? problem('missing-cards', 'operations', 'fail', 'missing', { count: m.length, cards: m.slice(0, 20).join(', ') }) : pass('missing-cards', 'operations')];
};

export const recurring: Check = (i) => {
  const r = i.period.tickets.recurring;
  return [r.length > 0 ? problem('recurring', 'operations', 'warn', 'recurring', { problems: r.map((x) => `${x.title} (${x.count}×)`).slice(0, 10).join('; ') }) : pass('recurring', 'operations')];
};

// ---------------------------------------------------------------- seasonal
export const rainy: Check = (i) => {
  const hum = peaksOf(i, ['humidityPct', 'monitorHumidityPct']).filter((p) => p.max !== null);
  const water = peaksOf(i, ['water', 'waterLeak', 'waterIngress']).filter((p) => (p.max ?? 0) > 0);
  const out: CheckResult[] = [];
  if (water.length > 0) out.push(problem('season-rainy', 'seasonal', 'fail', 'water', { devices: water.map((p) => p.device).join(', ') }));
  const maxHum = hum.length === 0 ? null : Math.max(...hum.map((p) => p.max ?? 0));
  if (maxHum !== null && maxHum >= i.thresholds.humidityFailPct) out.push(problem('season-rainy', 'seasonal', 'fail', 'humid', { max: maxHum, limit: i.thresholds.humidityFailPct }));
  else if (maxHum !== null && maxHum >= i.thresholds.humidityWarnPct) out.push(problem('season-rainy', 'seasonal', 'warn', 'humid', { max: maxHum, limit: i.thresholds.humidityWarnPct }));
  if (out.length === 0) out.push(pass('season-rainy', 'seasonal', { max: maxHum ?? '—' }));
  return out;
};

export const typhoon: Check = (i) => {
  const doors = peaksOf(i, ['doorsOpen', 'doorOpen']).filter((p) => (p.max ?? 0) > 0);
  const relays = peaksOf(i, ['relayOn', 'relaysOn']).filter((p) => p.max !== p.min);
  const out: CheckResult[] = [];
  if (doors.length > 0) out.push(problem('season-typhoon', 'seasonal', 'fail', 'door', { devices: doors.map((p) => p.device).join(', ') }));
  if (relays.length > 0) out.push(problem('season-typhoon', 'seasonal', 'warn', 'relay', { devices: relays.map((p) => p.device).join(', ') }));
  return out.length > 0 ? out : [pass('season-typhoon', 'seasonal')];
};

export const winter: Check = (i) => {
  const temps = peaksOf(i, ['temperatureC', 'monitorTemperatureC', 'ambientC']).filter((p) => p.min !== null);
  const heaters = peaksOf(i, ['heaterOn', 'heating']);
  if (temps.length === 0) return [pass('season-winter', 'seasonal', { min: '—' })];
  const coldest = temps.reduce((a, b) => ((b.min ?? Infinity) < (a.min ?? Infinity) ? b : a));
  const min = coldest.min ?? 0;
  const heated = heaters.some((p) => (p.max ?? 0) > 0);
  if (min <= i.thresholds.coldFailC) return [problem('season-winter', 'seasonal', 'fail', 'cold', { min, device: coldest.device, limit: i.thresholds.coldFailC })];
  if (min <= i.thresholds.coldWarnC) return [problem('season-winter', 'seasonal', 'warn', heated ? 'cold-heated' : 'cold', { min, device: coldest.device, limit: i.thresholds.coldWarnC })];
  return [pass('season-winter', 'seasonal', { min })];
};
