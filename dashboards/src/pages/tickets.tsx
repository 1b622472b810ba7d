/**
 * Tickets as a board by workflow state, each with its SLA countdown (the next deadline not
 * yet met) and the moves the service process allows from its state.
 */
import { useState } from 'preact/hooks';
import { api, canWrite } from '../api.js';
import { href } from '../router.js';
import { NEXT, nextDeadline } from '../model.js';
import type { Site, Ticket, TicketState } from '../types.js';
import { Badge, Empty, ErrorBox, Loading, Page, duration, severityTone, useLoad, useTick } from '../ui.js';

const COLUMNS: TicketState[] = ['new', 'assigned', 'scheduled', 'on-site', 'resolved', 'confirmed', 'closed', 'follow-up'];

function Mover({ t, onMoved }: { t: Ticket; onMoved(): void }) {
  const [to, setTo] = useState<TicketState | ''>('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const options = NEXT[t.state];
  if (options.length === 0) return null;
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (to === '') return;
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const extra: Record<string, unknown> = {};
    for (const k of ['cause', 'treatment', 'note']) {
      const v = form.get(k);
      if (typeof v === 'string' && v.trim() !== '') extra[k] = v.trim();
    }
    const when = form.get('appointmentAt');
    if (typeof when === 'string' && when !== '') extra.appointmentAt = new Date(when).getTime();
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/tickets/${t.id}/transition`, { method: 'POST', body: { to, ...extra } });
      setTo('');
      onMoved();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="mover" onSubmit={(e) => void submit(e)}>
      <label>
        <span class="sr-only">Move {t.number} to</span>
        <select value={to} onChange={(e) => setTo(e.currentTarget.value as TicketState)} aria-label={`Move ${t.number} to`}>
          <option value="">move to…</option>
          {options.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
      </label>
      {to === 'scheduled' && (
        <label>
          Visit at <input type="datetime-local" name="appointmentAt" required />
        </label>
      )}
      {to === 'resolved' && (
        <>
          <label>Cause <input name="cause" required /></label>
          <label>Treatment <input name="treatment" required /></label>
        </>
      )}
      {to === 'follow-up' && <label>Note <input name="note" required /></label>}
      <button type="submit" disabled={to === '' || busy}>Move</button>
      {error !== undefined && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

/** What a customer may do: confirm its own resolved ticket. */
function Confirm({ t, onDone }: { t: Ticket; onDone(): void }) {
  const [error, setError] = useState<string>();
  const confirm = (): void => {
    api(`/api/tickets/${t.id}/transition`, { method: 'POST', body: { to: 'confirmed' } }).then(onDone, (err: unknown) => setError((err as Error).message));
  };
  return (
    <div class="row">
      <button type="button" onClick={confirm}>Confirm the repair</button>
      {error !== undefined && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

export function TicketsPage() {
  const tickets = useLoad(() => api<{ items: Ticket[] }>('/api/tickets?limit=500'), []);
  const sites = useLoad(() => api<{ items: Site[] }>('/api/sites'), []);
  const [q, setQ] = useState('');
  const now = useTick(30_000);
  const siteName = (id: string): string => sites.data?.items.find((s) => s.id === id)?.name ?? id;
  const needle = q.trim().toLowerCase();
  const items = (tickets.data?.items ?? []).filter((t) => needle === '' || `${t.number} ${t.title} ${t.faultType}`.toLowerCase().includes(needle));

  return (
    <Page title="Tickets">
      <div class="filters" role="search">
        <label>
          Search
          <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="number, title, fault" />
        </label>
      </div>
      <ErrorBox error={tickets.error} />
      <Loading when={tickets.loading && tickets.data === undefined} />
      {tickets.data !== undefined && tickets.data.items.length === 0 && <Empty>No tickets.</Empty>}
      {tickets.data !== undefined && tickets.data.items.length > 0 && (
        <div class="board">
          {COLUMNS.map((col) => {
            const here = items.filter((t) => t.state === col);
            return (
              <section class="column" key={col} aria-labelledby={`col-${col}`} data-column={col}>
                <h2 id={`col-${col}`}>{col} <span class="muted">({here.length})</span></h2>
                <ul class="plain">
                  {here.map((t) => {
                    const dl = nextDeadline(t);
                    const left = dl === undefined ? 0 : dl.at - now;
                    return (
                      <li class="ticket card" key={t.id} data-ticket={t.number}>
                        <div class="row">
                          <strong>{t.number}</strong>
                          <Badge state={severityTone(t.severity)} label={t.severity} />
                        </div>
                        <div>{t.title}</div>
                        <div class="muted">
                          <a href={href('sites', t.siteId)}>{siteName(t.siteId)}</a>
                          {t.deviceId ? <> · <code>{t.deviceId}</code></> : null}
                          {t.recurring ? ' · recurring' : ''}
                        </div>
                        {dl !== undefined && (
                          <div class={left < 0 ? 'sla bad' : 'sla'}>
                            {left < 0 ? `${dl.what} overdue by ${duration(left)}` : `${dl.what} within ${duration(left)}`}
                          </div>
                        )}
                        {canWrite() && <Mover t={t} onMoved={tickets.reload} />}
                        {!canWrite() && t.state === 'resolved' && <Confirm t={t} onDone={tickets.reload} />}
                      </li>
                    );
                  })}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </Page>
  );
}
