/**
 * Fleet overview: every site with its worst state, agents online/offline, open alarms,
 * tickets and SLA breaches (GET /api/fleet); search and filter by state. Plain rows, worst
 * first; refreshed when an alarm or agent changes anywhere (live stream) and every 30 s.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { openLive } from '../live.js';
import { href } from '../router.js';
import type { FleetSite } from '../types.js';
import { Badge, Empty, ErrorBox, Loading, Page, useLoad } from '../ui.js';

const RANK: Record<FleetSite['worst'], number> = { fault: 0, offline: 1, warn: 2, ok: 3, none: 4 };
const STATES: FleetSite['worst'][] = ['fault', 'offline', 'warn', 'ok', 'none'];

export function FleetPage() {
  const fleet = useLoad(() => api<{ items: FleetSite[] }>('/api/fleet'), []);
  const [q, setQ] = useState('');
  const [state, setState] = useState('');

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = (): void => {
      clearTimeout(timer);
      timer = setTimeout(fleet.reload, 1000);
    };
    const stop = openLive(null, { alarm: soon, agent: soon });
    const every = setInterval(fleet.reload, 30_000);
    return () => {
      stop();
      clearTimeout(timer);
      clearInterval(every);
    };
  }, [fleet.reload]);

  const items = fleet.data?.items;
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const s of items ?? []) c[s.worst] = (c[s.worst] ?? 0) + 1;
    return c;
  }, [items]);
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (items ?? [])
      .filter((s) => (state === '' || s.worst === state) && (needle === '' || s.name.toLowerCase().includes(needle) || s.customerName.toLowerCase().includes(needle)))
      .sort((a, b) => RANK[a.worst] - RANK[b.worst] || b.openAlarms - a.openAlarms || a.name.localeCompare(b.name));
  }, [items, q, state]);

  return (
    <Page title="Fleet">
      <ul class="summary" aria-label="Sites by state">
        {STATES.map((s) => (
          <li key={s}>
            <Badge state={s} /> <strong>{counts[s] ?? 0}</strong>
          </li>
        ))}
      </ul>
      <div class="filters" role="search">
        <label>
          Search
          <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="site or customer" />
        </label>
        <label>
          State
          <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">all</option>
            {STATES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        <span class="muted" aria-live="polite">{items === undefined ? '' : `${shown.length} of ${items.length} sites`}</span>
      </div>
      <ErrorBox error={fleet.error} />
      <Loading when={fleet.loading && items === undefined} />
      {items !== undefined && shown.length === 0 && <Empty>{items.length === 0 ? 'No sites yet.' : 'No site matches.'}</Empty>}
      {shown.length > 0 && (
        <div class="scroll" role="region" aria-label="Sites" tabIndex={0}>
          <table class="list" id="fleet-table">
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Customer</th>
                <th scope="col">State</th>
                <th scope="col">Agents on / off</th>
                <th scope="col">Open alarms</th>
                <th scope="col">Open tickets</th>
                <th scope="col">SLA breaches</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.siteId} data-site={s.siteId} data-state={s.worst}>
                  <th scope="row"><a href={href('sites', s.siteId)}>{s.name}</a></th>
                  <td>{s.customerName}</td>
                  <td><Badge state={s.worst} /></td>
                  <td>{s.agentsOnline} / <span class={s.agentsOffline > 0 ? 'bad' : ''}>{s.agentsOffline}</span></td>
                  <td>{s.openAlarms}</td>
                  <td>{s.openTickets}</td>
                  <td class={s.slaBreaches > 0 ? 'bad' : ''}>{s.slaBreaches}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
