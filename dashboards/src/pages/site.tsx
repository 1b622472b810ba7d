/**
 * One site: each controller as a grid of ports × receiving cards coloured by state
 * (temperature, voltage, missing, ribbon errors), tiles for power supplies, UPSes,
 * switches and sensors, each agent with its host's health — all kept live from /api/live.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { api } from '../api.js';
import { openLive } from '../live.js';
import { href } from '../router.js';
import { applyAlarm, applyReadings } from '../model.js';
import type { Agent, Alarm, Device, Site } from '../types.js';
import { Badge, Empty, ErrorBox, Loading, Page, ago, fmtValue, severityTone, tone, useLoad, useTick } from '../ui.js';

interface SiteData {
  site: Site;
  devices: Device[];
  agents: Agent[];
  alarms: Alarm[];
}

const CARD_RE = /\/p(\d+)\/c(\d+)$/;
const isController = (d: Device): boolean => d.capabilities.includes('receiving-cards');
const isCard = (d: Device): boolean => d.parent !== null && CARD_RE.test(d.deviceId);
const own = (d: Device): Record<string, unknown> => d.latest.find((l) => l.component === '')?.metrics ?? {};

/** What colour a device shows: its reading state, made worse by an open alarm on it. */
function deviceTone(d: Device, alarms: Alarm[]): ReturnType<typeof tone> {
  const t = tone(d.state);
  const worst = alarms.filter((a) => a.agentId === d.agentId && a.deviceId === d.deviceId).map((a) => severityTone(a.severity));
  if (t === 'fault' || worst.includes('fault')) return 'fault';
  if (t === 'warn' || worst.includes('warn')) return 'warn';
  return t;
}

function CardCell({ card, alarms }: { card: Device; alarms: Alarm[] }) {
  const m = own(card);
  const t = deviceTone(card, alarms);
  const temp = typeof m.temperatureC === 'number' ? `${Math.round(m.temperatureC)}°` : '';
  const volt = typeof m.voltageV === 'number' ? `${m.voltageV.toFixed(1)}V` : '';
  const ribbon = typeof m.ribbonErrors === 'number' && m.ribbonErrors > 0 ? `R${m.ribbonErrors}` : '';
  const slot = CARD_RE.exec(card.deviceId);
  const what = card.state === 'missing' ? 'missing' : [temp && `${temp}C`, volt, ribbon && `${ribbon.slice(1)} ribbon errors`].filter(Boolean).join(', ');
  return (
    <td class={`cell s-${t}`} data-device={card.deviceId} data-state={t}>
      <a href={href('devices', card.id)}>
        <span class="sr-only">Port {slot?.[1]} card {slot?.[2]}: {t}{what ? `, ${what}` : ''}. </span>
        <span aria-hidden="true">{card.state === 'missing' ? 'gone' : temp || '–'}</span>
        <small aria-hidden="true">{volt}</small>
        {ribbon !== '' && <small aria-hidden="true">{ribbon}</small>}
      </a>
    </td>
  );
}

function ControllerGrid({ ctrl, cards, alarms }: { ctrl: Device; cards: Device[]; alarms: Alarm[] }) {
  const grid = new Map<number, Map<number, Device>>();
  let maxCard = 0;
  for (const c of cards) {
    const m = CARD_RE.exec(c.deviceId);
    if (m === null) continue;
    const p = Number(m[1]);
    const n = Number(m[2]);
    maxCard = Math.max(maxCard, n);
    if (!grid.has(p)) grid.set(p, new Map());
    grid.get(p)?.set(n, c);
  }
  const ports = [...grid.keys()].sort((a, b) => a - b);
  const cols = Array.from({ length: maxCard + 1 }, (_, i) => i);
  const m = own(ctrl);
  return (
    <article class="card controller" aria-labelledby={`ctrl-${ctrl.id}`}>
      <header class="row">
        <h3 id={`ctrl-${ctrl.id}`}><a href={href('devices', ctrl.id)}>{ctrl.name ?? ctrl.deviceId}</a></h3>
        <Badge state={deviceTone(ctrl, alarms)} />
        <span class="muted">{ctrl.model ?? ''} · {fmtValue(m.cards ?? cards.length)} cards{typeof m.cardsMissing === 'number' && m.cardsMissing > 0 ? `, ${m.cardsMissing} missing` : ''}</span>
      </header>
      {cards.length === 0 ? (
        <Empty>No receiving cards reported yet.</Empty>
      ) : (
        <div class="scroll" role="region" aria-label={`Cards of ${ctrl.deviceId}`} tabIndex={0}>
          <table class="grid">
            <caption class="sr-only">Receiving cards of {ctrl.deviceId}: rows are output ports, columns card positions</caption>
            <thead>
              <tr>
                <th scope="col">Port</th>
                {cols.map((c) => (
                  <th scope="col" key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ports.map((p) => (
                <tr key={p}>
                  <th scope="row">{p}</th>
                  {cols.map((c) => {
                    const card = grid.get(p)?.get(c);
                    return card === undefined ? <td key={c} class="cell s-none" /> : <CardCell key={c} card={card} alarms={alarms} />;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

/** Metrics a tile shows first, when the device has them (PSU, UPS, sensors, host, switches). */
const TILE_METRICS = [
  'cpuPct', 'memUsedPct', 'load1', 'outputVoltageV', 'outputCurrentA', 'inputVoltageV', 'chargePct', 'minutesRemaining', 'onBattery',
  'temperatureC', 'humidityPct', 'reachable', 'rttMs', 'ifUp', 'portsUp', 'fault',
];
/** Per-component figures worth a tile line: disk use per mount, UPS output load. */
const COMPONENT_METRICS = ['usedPct', 'loadPct'];

function tileFigures(d: Device): [string, unknown][] {
  const m = own(d);
  const named = TILE_METRICS.filter((k) => k in m);
  const mine: [string, unknown][] = (named.length > 0 ? named : Object.keys(m).filter((k) => typeof m[k] === 'number')).slice(0, 4).map((k) => [k, m[k]]);
  for (const l of d.latest) {
    if (l.component === '') continue;
    for (const k of COMPONENT_METRICS) if (k in l.metrics) mine.push([`${l.component} ${k}`, l.metrics[k]]);
  }
  return mine.slice(0, 6);
}

function Tile({ d, alarms }: { d: Device; alarms: Alarm[] }) {
  const t = deviceTone(d, alarms);
  return (
    <li class={`tile t-${t}`} data-device={d.deviceId} data-state={t}>
      <div class="row">
        <a href={href('devices', d.id)}><strong>{d.name ?? d.deviceId}</strong></a>
        <Badge state={t} />
      </div>
      <div class="muted">{d.kind}{d.model ? ` · ${d.model}` : ''}</div>
      <dl class="kv">
        {tileFigures(d).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{fmtValue(v)}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

export function SitePage({ id }: { id: string }) {
  const data = useLoad<SiteData>(async () => {
    const [site, devices, agents, alarms] = await Promise.all([
      api<Site>(`/api/sites/${encodeURIComponent(id)}`),
      api<{ items: Device[] }>(`/api/devices?siteId=${encodeURIComponent(id)}`),
      api<{ items: Agent[] }>(`/api/agents?siteId=${encodeURIComponent(id)}`),
      api<{ items: Alarm[] }>(`/api/alarms?siteId=${encodeURIComponent(id)}&state=open&limit=500`),
    ]);
    return { site, devices: devices.items, agents: agents.items.filter((a) => a.revokedAt === null), alarms: alarms.items };
  }, [id]);
  const now = useTick(10_000);
  const { set, reload } = data;
  const known = useRef(data.data);
  known.current = data.data;
  const lastReload = useRef(0);

  useEffect(() => {
    let first = true;
    return openLive(id, {
      open: () => {
        if (!first) reload(); // catch up after a reconnect
        first = false;
      },
      readings: (batch) => {
        if (known.current !== undefined && batch.some((r) => r.component === '' && !known.current?.devices.some((d) => d.agentId === r.agentId && d.deviceId === r.deviceId)) && Date.now() - lastReload.current > 5000) {
          lastReload.current = Date.now();
          reload(); // a device the page does not know yet
        }
        set((cur) => cur && { ...cur, devices: applyReadings(cur.devices, batch) });
      },
      alarm: (c) => set((cur) => cur && { ...cur, alarms: applyAlarm(cur.alarms, c.alarm) }),
      agent: (c) => set((cur) => cur && { ...cur, agents: cur.agents.map((a) => (a.id === c.agentId ? { ...a, online: c.online, lastSeen: Date.now() } : a)) }),
    });
  }, [id, set, reload]);

  const view = useMemo(() => {
    const d = data.data;
    if (d === undefined) return undefined;
    const controllers = d.devices.filter(isController);
    const cardsOf = (c: Device) => d.devices.filter((x) => x.agentId === c.agentId && x.parent === c.deviceId && isCard(x));
    const hosts = d.devices.filter((x) => x.kind === 'host');
    const others = d.devices.filter((x) => !isController(x) && !isCard(x) && x.kind !== 'host' && x.present);
    return { ...d, controllers, cardsOf, hosts, others };
  }, [data.data]);

  return (
    <Page title={view?.site.name ?? 'Site'} actions={<a href={href('fleet')}>← Fleet</a>}>
      <ErrorBox error={data.error} />
      <Loading when={data.loading && view === undefined} />
      {view !== undefined && (
        <>
          <p class="muted">{view.site.address ?? ''} {view.site.timezone}</p>
          <section aria-labelledby="h-agents">
            <h2 id="h-agents">Agents</h2>
            {view.agents.length === 0 && <Empty>No agent on this site yet.</Empty>}
            <ul class="tiles">
              {view.agents.map((a) => {
                const host = view.hosts.find((h) => h.agentId === a.id);
                return (
                  <li class={`tile t-${a.online ? 'ok' : 'offline'}`} key={a.id} data-agent={a.id}>
                    <div class="row">
                      <strong>{a.name}</strong>
                      <Badge state={a.online ? 'ok' : 'offline'} label={a.online ? 'online' : 'offline'} />
                    </div>
                    <div class="muted">{a.hostname ?? '—'} · v{a.version ?? '?'} · seen {ago(a.lastSeen, now)}</div>
                    {host !== undefined && (
                      <ul class="tiles nested" aria-label="Host health">
                        <Tile d={host} alarms={view.alarms} />
                      </ul>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
          <section aria-labelledby="h-alarms">
            <h2 id="h-alarms">Open alarms ({view.alarms.length})</h2>
            {view.alarms.length === 0 ? (
              <Empty>No open alarms.</Empty>
            ) : (
              <ul class="plain">
                {view.alarms.map((a) => (
                  <li key={a.id} data-alarm={a.id}>
                    <Badge state={severityTone(a.severity)} label={a.severity} /> {a.type} on <code>{a.deviceId || 'agent'}</code> · {a.state} · since {ago(a.firstSeen, now)}
                  </li>
                ))}
              </ul>
            )}
            <a href={href('alarms')}>All alarms →</a>
          </section>
          <section aria-labelledby="h-screens">
            <h2 id="h-screens">Controllers and receiving cards</h2>
            {view.controllers.length === 0 && <Empty>No display controller reported yet.</Empty>}
            {view.controllers.map((c) => (
              <ControllerGrid key={c.id} ctrl={c} cards={view.cardsOf(c)} alarms={view.alarms} />
            ))}
          </section>
          <section aria-labelledby="h-power">
            <h2 id="h-power">Power, UPS, network and sensors</h2>
            {view.others.length === 0 ? (
              <Empty>No other equipment reported.</Empty>
            ) : (
              <ul class="tiles">
                {view.others.map((d) => (
                  <Tile key={d.id} d={d} alarms={view.alarms} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </Page>
  );
}
