#!/usr/bin/env node
/**
 * Writes the Grafana dashboards in dashboards/grafana/dashboards/*.json (the files Grafana's
 * provisioning loads) from the definitions below, so every panel gets the same data source,
 * template variables and layout. Edit here, then run `node dashboards/grafana/generate.mjs`;
 * test/e2e/grafana-queries.test.ts fails when the JSON is stale and runs every panel's
 * InfluxQL against a real influxd filled through the hub's telemetry store.
 *
 * The queries follow the hub's series design (hub/src/telemetry/README.md): measurement
 * `reading` in the default retention policy (the hub's `ledwatch_raw`), tags customer,
 * site, agent, device (cards are `<controller>/p<port>/c<card>`) and component (absent =
 * the device itself, matched with `"component" = ''`), metrics as fields, `_state` the state.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DATASOURCE = { type: 'influxdb', uid: 'ledwatch-influxdb' };

/** `"tag" =~ /^${tag:regex}$/` for each template variable (All = `.*`). */
const match = (...tags) => tags.map((t) => `"${t}" =~ /^\${${t}:regex}$/`).join(' AND ');
const scope = {
  site: match('customer', 'site'),
  agent: match('customer', 'site', 'agent'),
};
/** Receiving cards of the chosen controllers. */
const CARDS = `"device" =~ /^\${device:regex}\\/p[0-9]+\\/c[0-9]+$/`;
/** The chosen top-level devices (not their cards: with All, `.*` would match those too). */
const DEVICE = `"device" =~ /^\${device:regex}$/ AND "device" !~ /\\//`;
const NOT_OK = `/^(fault|missing|unreachable)$/`;

function variable(name, label, query, extra = {}) {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    query,
    definition: query,
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    regex: '',
    sort: 1,
    hide: 0,
    skipUrlSync: false,
    ...extra,
  };
}

const VARIABLES = {
  customer: variable('customer', 'Customer', 'SHOW TAG VALUES FROM "reading" WITH KEY = "customer"'),
  site: variable('site', 'Site', `SHOW TAG VALUES FROM "reading" WITH KEY = "site" WHERE ${match('customer')}`),
  agent: variable('agent', 'Agent', `SHOW TAG VALUES FROM "reading" WITH KEY = "agent" WHERE ${match('customer', 'site')}`),
  // Top-level devices only: a controller stands for its receiving cards.
  device: variable('device', 'Device', `SHOW TAG VALUES FROM "reading" WITH KEY = "device" WHERE ${scope.agent}`, { regex: '/^[^/]+$/' }),
};

function target(refId, query, opts = {}) {
  return { refId, datasource: DATASOURCE, rawQuery: true, resultFormat: opts.format ?? 'time_series', query, ...(opts.alias ? { alias: opts.alias } : {}) };
}

/** One panel; `targets` is a list of [query, options] pairs. */
function panel(type, title, description, targets, opts = {}) {
  return {
    type,
    title,
    description,
    datasource: DATASOURCE,
    targets: targets.map(([q, o], i) => target(String.fromCharCode(65 + i), q, o)),
    fieldConfig: { defaults: { unit: opts.unit ?? 'none', ...(opts.min !== undefined ? { min: opts.min } : {}), ...(opts.max !== undefined ? { max: opts.max } : {}), ...(opts.thresholds ? { thresholds: opts.thresholds } : {}), ...(opts.custom ? { custom: opts.custom } : {}) }, overrides: [] },
    options: opts.options ?? {},
    ...(opts.transformations ? { transformations: opts.transformations } : {}),
    // A panel-level relative range: "now" panels read the last minutes, not a month of raw data.
    ...(opts.timeFrom ? { timeFrom: opts.timeFrom } : {}),
    size: opts.size ?? [12, 8],
  };
}

const stat = (title, description, query, opts = {}) =>
  panel('stat', title, description, [[query, {}]], { size: [6, 4], options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'none' }, ...opts });
const series = (title, description, targets, opts = {}) =>
  panel('timeseries', title, description, targets, { options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['max', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } }, ...opts });
const table = (title, description, query, opts = {}) =>
  panel('table', title, description, [[query, { format: 'table' }]], { transformations: [{ id: 'merge', options: {} }], options: { showHeader: true }, ...opts });
const text = (title, content, size = [24, 5]) => ({ type: 'text', title, options: { mode: 'markdown', content }, size });

/** Range of the "now" panels: a few agent poll intervals, whatever range the dashboard shows. */
const NOW = { timeFrom: '15m' };
const RED_ABOVE_0 = { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: 1 }] };

export const DASHBOARDS = [
  {
    file: 'fleet-health.json',
    uid: 'ledwatch-fleet',
    title: 'ledwatch — fleet health',
    description: 'Long-range health of every site: who reports, what is not ok, where receiving cards go missing.',
    time: 'now-7d',
    variables: ['customer', 'site'],
    panels: [
      stat('Agents reporting', 'Agents with at least one reading in the last 15 minutes.',
        `SELECT count("s") FROM (SELECT last("_state") AS "s" FROM "reading" WHERE ${scope.site} AND $timeFilter GROUP BY "agent")`, NOW),
      stat('Devices reporting', 'Devices and receiving cards with at least one reading in the last 15 minutes.',
        `SELECT count("s") FROM (SELECT last("_state") AS "s" FROM "reading" WHERE ${scope.site} AND $timeFilter GROUP BY "agent", "device")`, NOW),
      stat('Not ok now', 'Devices, cards and components whose latest state (last 15 minutes) is not ok.',
        `SELECT count("s") FROM (SELECT last("_state") AS "s" FROM "reading" WHERE ${scope.site} AND $timeFilter GROUP BY "agent", "device", "component") WHERE "s" != 'ok'`,
        { thresholds: RED_ABOVE_0, ...NOW }),
      stat('Cards missing now', "Sum of the controllers' latest cardsMissing (last 15 minutes).",
        `SELECT sum("m") FROM (SELECT last("cardsMissing") AS "m" FROM "reading" WHERE ${scope.site} AND $timeFilter GROUP BY "agent", "device")`,
        { thresholds: RED_ABOVE_0, ...NOW }),
      series('Fault readings by site', 'Readings in state fault, missing or unreachable per interval.',
        [[`SELECT count("_state") FROM "reading" WHERE "_state" =~ ${NOT_OK} AND ${scope.site} AND $timeFilter GROUP BY time($__interval), "site" fill(0)`, { alias: '$tag_site' }]],
        { custom: { drawStyle: 'bars', fillOpacity: 60, stacking: { mode: 'normal' } } }),
      series('Warning readings by site', 'Readings in state warn per interval.',
        [[`SELECT count("_state") FROM "reading" WHERE "_state" = 'warn' AND ${scope.site} AND $timeFilter GROUP BY time($__interval), "site" fill(0)`, { alias: '$tag_site' }]],
        { custom: { drawStyle: 'bars', fillOpacity: 60, stacking: { mode: 'normal' } } }),
      series('Cards missing by site', 'Most receiving cards missing at once, summed over the controllers of each site.',
        [[`SELECT sum("m") FROM (SELECT max("cardsMissing") AS "m" FROM "reading" WHERE ${scope.site} AND $timeFilter GROUP BY time($__interval), "site", "agent", "device") WHERE $timeFilter GROUP BY time($__interval), "site"`, { alias: '$tag_site' }]]),
      table('Card-missing readings per site', 'How often receiving cards were read as missing in the range, per site: the sites whose cabling or cards fail most.',
        `SELECT count("_state") AS "missing readings" FROM "reading" WHERE "_state" = 'missing' AND ${scope.site} AND $timeFilter GROUP BY "customer", "site"`),
      table('Not ok now: which', 'Latest state (last 15 minutes) of every device, card and component that is not ok.',
        `SELECT "s" AS "state" FROM (SELECT last("_state") AS "s" FROM "reading" WHERE ${scope.site} AND $timeFilter GROUP BY "customer", "site", "agent", "device", "component") WHERE "s" != 'ok' GROUP BY "customer", "site", "agent", "device", "component"`,
        { size: [24, 10], ...NOW }),
    ],
  },
  {
    file: 'device.json',
    uid: 'ledwatch-device',
    title: 'ledwatch — device',
    description: "One site's devices over time: receiving card temperatures and voltages, cabinet monitor cards, power supplies, UPS.",
    time: 'now-24h',
    variables: ['customer', 'site', 'agent', 'device'],
    panels: [
      panel('state-timeline', 'Device state', 'Last state of each chosen device per interval (its own readings, not its cards or components); the fault counts on the fleet dashboard catch short faults.',
        [[`SELECT last("_state") FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND "component" = '' AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(none)`, { alias: '$tag_agent $tag_device' }]],
        { size: [24, 6] }),
      series('Receiving card temperature', 'Hottest reading per card and interval.',
        [[`SELECT max("temperatureC") FROM "reading" WHERE ${scope.agent} AND ${CARDS} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device' }]],
        { unit: 'celsius' }),
      series('Receiving card voltage', 'Lowest supply voltage per card and interval.',
        [[`SELECT min("voltageV") FROM "reading" WHERE ${scope.agent} AND ${CARDS} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device' }]],
        { unit: 'volt' }),
      series('Cabinet monitor cards', 'Temperature and humidity the monitor cards measure inside the cabinets (mean of the cards).',
        [
          [`SELECT mean("monitorTemperatureC") AS "temperature °C" FROM "reading" WHERE ${scope.agent} AND ${CARDS} AND $timeFilter GROUP BY time($__interval), "agent" fill(null)`, { alias: '$tag_agent $col' }],
          [`SELECT mean("monitorHumidityPct") AS "humidity %" FROM "reading" WHERE ${scope.agent} AND ${CARDS} AND $timeFilter GROUP BY time($__interval), "agent" fill(null)`, { alias: '$tag_agent $col' }],
        ]),
      series('Fans stopped, doors open, ribbon errors', 'Summed over the cards of the chosen controllers, worst value per interval.',
        [[`SELECT sum("f") AS "fans stopped", sum("d") AS "doors open", sum("r") AS "ribbon errors" FROM (SELECT max("fansStopped") AS "f", max("doorsOpen") AS "d", max("ribbonErrors") AS "r" FROM "reading" WHERE ${scope.agent} AND ${CARDS} AND $timeFilter GROUP BY time($__interval), "agent", "device") WHERE $timeFilter GROUP BY time($__interval), "agent" fill(null)`, { alias: '$tag_agent $col' }]]),
      series('Cards missing', 'Receiving cards the controller could not read.',
        [[`SELECT max("cardsMissing") FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device' }]],
        { thresholds: RED_ABOVE_0 }),
      series('Power supply output', 'DC output voltage and current of the power supplies.',
        [
          [`SELECT mean("outputVoltageV") AS "output V" FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device $col' }],
          [`SELECT mean("outputCurrentA") AS "output A" FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device $col' }],
        ]),
      series('Power supply input voltage', 'AC input voltage of the power supplies.',
        [[`SELECT mean("inputVoltageV") FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND "component" = '' AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device' }]],
        { unit: 'volt' }),
      series('Device temperature', 'Temperature the devices themselves report (power supplies, sensors).',
        [[`SELECT max("temperatureC") FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device' }]],
        { unit: 'celsius' }),
      series('UPS battery', 'Charge and estimated minutes remaining.',
        [
          [`SELECT min("chargePct") AS "charge %" FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device $col' }],
          [`SELECT min("minutesRemaining") AS "minutes left" FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device $col' }],
        ]),
      series('UPS lines', 'Input and output line voltage and output load of the UPSes (components in1, out1, …).',
        [
          [`SELECT mean("voltageV") FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND "component" =~ /^(in|out)[0-9]+$/ AND $timeFilter GROUP BY time($__interval), "device", "component" fill(null)`, { alias: '$tag_device $tag_component V' }],
          [`SELECT max("loadPct") FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND "component" =~ /^out[0-9]+$/ AND $timeFilter GROUP BY time($__interval), "device", "component" fill(null)`, { alias: '$tag_device $tag_component load %' }],
        ]),
series('UPS time on battery', 'Longest time on battery per interval (0 on mains): unlike the last state, a short outage still shows over a month.',
        [[`SELECT max("secondsOnBattery") FROM "reading" WHERE ${scope.agent} AND ${DEVICE} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_device' }]],
        { unit: 's', size: [24, 6] }),
    ],
  },
  {
    file: 'agents.json',
    uid: 'ledwatch-agents',
    title: 'ledwatch — agents and ingest',
    description: 'What the hub stored per agent, when each agent was last heard from, and the health of the site PCs and their network.',
    time: 'now-24h',
    variables: ['customer', 'site', 'agent'],
    panels: [
      series('Readings stored per agent', 'Device readings the hub stored per interval, by reading time (a replayed outbox fills in its own past).',
        [[`SELECT count("_state") FROM "reading" WHERE ${scope.agent} AND $timeFilter GROUP BY time($__interval), "agent" fill(0)`, { alias: '$tag_agent' }]],
        { size: [24, 8] }),
      table('Last reading per agent', 'Time of the newest stored reading of each agent in the range: an agent whose time lags is offline or still replaying its outbox.',
        `SELECT last("_state") AS "state" FROM "reading" WHERE ${scope.agent} AND $timeFilter GROUP BY "customer", "site", "agent"`,
        { size: [24, 8] }),
      series('Site PC CPU', 'CPU use of the site PCs (host driver).',
        [[`SELECT mean("cpuPct") FROM "reading" WHERE ${scope.agent} AND $timeFilter GROUP BY time($__interval), "agent" fill(null)`, { alias: '$tag_agent' }]],
        { unit: 'percent', min: 0, max: 100 }),
      series('Site PC memory', 'Memory in use on the site PCs.',
        [[`SELECT mean("memUsedPct") FROM "reading" WHERE ${scope.agent} AND $timeFilter GROUP BY time($__interval), "agent" fill(null)`, { alias: '$tag_agent' }]],
        { unit: 'percent', min: 0, max: 100 }),
      series('Site PC disks', 'Used share of each mount point of the site PCs (where the outbox lives).',
        [[`SELECT max("usedPct") FROM "reading" WHERE ${scope.agent} AND $timeFilter GROUP BY time($__interval), "agent", "component" fill(null)`, { alias: '$tag_agent $tag_component' }]],
        { unit: 'percent', min: 0, max: 100 }),
      series('Site PC load', '1-minute load average of the site PCs.',
        [[`SELECT mean("load1") FROM "reading" WHERE ${scope.agent} AND $timeFilter GROUP BY time($__interval), "agent" fill(null)`, { alias: '$tag_agent' }]]),
      series('Network check latency', 'Connect or request latency to the targets the network checks name (gateway, CMS, cloud).',
        [[`SELECT mean("latencyMs") FROM "reading" WHERE ${scope.agent} AND $timeFilter GROUP BY time($__interval), "agent", "device", "component" fill(null)`, { alias: '$tag_agent $tag_component' }]],
        { unit: 'ms' }),
      series('Network targets down', 'Targets in fault or unreachable, per network check.',
        [[`SELECT max("targetsDown") FROM "reading" WHERE ${scope.agent} AND $timeFilter GROUP BY time($__interval), "agent", "device" fill(null)`, { alias: '$tag_agent $tag_device' }]],
        { thresholds: RED_ABOVE_0 }),
      text('Outbox and ingest counters',
        [
          'InfluxDB holds readings, by the time they were taken. Counters about the way there are elsewhere:',
          '',
          '- **Agent outbox overflow** (readings dropped on site after `outbox.maxAgeH` / `outbox.maxMB`): the `outbox-overflow` alarm in the hub.',
          '- **Hub ingest and store counters** (`ledwatch_readings_accepted_total`, `ledwatch_mqtt_messages_rejected_total`, `ledwatch_telemetry_points_written_total`, `ledwatch_telemetry_points_rejected_total`, `ledwatch_telemetry_write_retries_total`, `ledwatch_telemetry_buffered_points`): Prometheus format at the hub\'s `/metrics` (with an engineer\'s or admin\'s API token).',
        ].join('\n')),
    ],
  },
];

/** Grid positions: panels flow left to right, rows as tall as their tallest panel. */
function layout(panels) {
  let x = 0;
  let y = 0;
  let rowH = 0;
  return panels.map(({ size, ...p }, i) => {
    const [w, h] = size;
    if (x + w > 24) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    const placed = { id: i + 1, gridPos: { h, w, x, y }, ...p };
    x += w;
    rowH = Math.max(rowH, h);
    return placed;
  });
}

export function renderDashboard(d) {
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['ledwatch'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '1m',
    time: { from: d.time, to: 'now' },
    timepicker: {},
    templating: { list: d.variables.map((v) => VARIABLES[v]) },
    annotations: { list: [] },
    links: [{ title: 'ledwatch', type: 'dashboards', tags: ['ledwatch'], asDropdown: true }],
    panels: layout(d.panels),
  };
}

export const DASHBOARD_DIR = fileURLToPath(new URL('./dashboards/', import.meta.url));

// `--check`: exit 1 (naming the files) when the committed JSON differs from the definitions.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  mkdirSync(DASHBOARD_DIR, { recursive: true });
  for (const d of DASHBOARDS) {
    const path = `${DASHBOARD_DIR}${d.file}`;
    const json = `${JSON.stringify(renderDashboard(d), null, 2)}\n`;
    if (check) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== json) stale.push(d.file);
    } else {
      writeFileSync(path, json);
      console.log(`wrote dashboards/grafana/dashboards/${d.file}`);
    }
  }
  if (stale.length > 0) {
    console.error(`stale Grafana dashboards: ${stale.join(', ')} — run node dashboards/grafana/generate.mjs`);
    process.exitCode = 1;
  }
}
