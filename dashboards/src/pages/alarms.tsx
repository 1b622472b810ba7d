/** Alarms: open (or all) alarms filtered by minimum severity, acknowledged from here; live. */
import { useEffect, useState } from 'preact/hooks';
import { api, canWrite } from '../api.js';
import { openLive } from '../live.js';
import { href } from '../router.js';
import type { Alarm, Site } from '../types.js';
import { Badge, ListTable, Page, ago, fmtValue, severityTone, useLoad, useTick } from '../ui.js';

export function AlarmsPage() {
  const [severity, setSeverity] = useState('');
  const [state, setState] = useState('open');
  const [busy, setBusy] = useState<number>();
  const [actionError, setActionError] = useState<string>();
  const alarms = useLoad(() => {
    const qs = new URLSearchParams({ limit: '200', ...(state !== '' ? { state } : {}), ...(severity !== '' ? { severity } : {}) });
    return api<{ items: Alarm[] }>(`/api/alarms?${qs}`);
  }, [severity, state]);
  const sites = useLoad(() => api<{ items: Site[] }>('/api/sites'), []);
  const now = useTick(15_000);
  const { reload } = alarms;
  useEffect(() => openLive(null, { alarm: reload }), [reload]);

  const ack = async (a: Alarm): Promise<void> => {
    setBusy(a.id);
    setActionError(undefined);
    try {
      await api(`/api/alarms/${a.id}/ack`, { method: 'POST', body: {} });
      reload();
    } catch (err) {
      setActionError((err as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const siteName = (id: string): string => sites.data?.items.find((s) => s.id === id)?.name ?? id;
  const items = alarms.data?.items;

  return (
    <Page title="Alarms">
      <div class="filters">
        <label>
          Severity at least
          <select value={severity} onChange={(e) => setSeverity(e.currentTarget.value)}>
            <option value="">any</option>
            <option value="risk">risk</option>
            <option value="fault">fault</option>
            <option value="critical">critical</option>
          </select>
        </label>
        <label>
          State
          <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="open">open</option>
            <option value="active">active</option>
            <option value="acknowledged">acknowledged</option>
            <option value="cleared">cleared</option>
            <option value="">all</option>
          </select>
        </label>
      </div>
      {actionError !== undefined && <p class="error" role="alert">{actionError}</p>}
      <ListTable
        label="Alarms"
        loaded={alarms}
        rows={items}
        empty="No alarms match."
        columns={['Severity', 'Alarm', 'Site', 'Device', 'Value', 'Since', 'State', ...(canWrite() ? [''] : [])]}
        row={(a) => (
          <tr key={a.id} data-alarm={a.id} data-type={a.type} data-state={a.state}>
            <td><Badge state={severityTone(a.severity)} label={a.severity} /></td>
            <th scope="row">{a.type}{a.message ? <div class="muted">{a.message}</div> : null}</th>
            <td><a href={href('sites', a.siteId)}>{siteName(a.siteId)}</a></td>
            <td><code>{a.deviceId || 'agent'}</code></td>
            <td>{a.lastValue === null ? '—' : fmtValue(a.lastValue)}</td>
            <td>{ago(a.firstSeen, now)}{a.count > 1 ? ` (${a.count}×)` : ''}</td>
            <td>{a.state}</td>
            {canWrite() && (
              <td>
                {a.state === 'active' && (
                  <button type="button" disabled={busy === a.id} onClick={() => void ack(a)} aria-label={`Acknowledge ${a.type} on ${a.deviceId || 'agent'}`}>
                    Acknowledge
                  </button>
                )}
              </td>
            )}
          </tr>
        )}
      />
    </Page>
  );
}
