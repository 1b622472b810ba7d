/**
 * Inspections (GET /api/inspections) and their reports (GET /api/reports): run an
 * inspection of a site now, follow it while it collects and checks, download a report's
 * PDF, mail it again to the customer contacts (engineers and admins).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, canWrite, download } from '../api.js';
import { href } from '../router.js';
import type { Inspection, Report, Site } from '../types.js';
import { Badge, ListTable, Page, fmtTime, useLoad } from '../ui.js';

const REFRESH_MS = 2000;
const VERDICT_TONE = { pass: 'ok', warn: 'warn', fail: 'fault' } as const;

function RunNow({ sites, onStarted }: { sites: Site[]; onStarted(): void }) {
  const [siteId, setSiteId] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  const chosen = siteId || sites[0]?.id || '';
  const run = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setNote(undefined);
    try {
      await api(`/api/sites/${encodeURIComponent(chosen)}/inspections`, { method: 'POST' });
      setNote({ ok: true, text: `Inspection of ${sites.find((s) => s.id === chosen)?.name ?? chosen} started.` });
      onStarted();
    } catch (err) {
      setNote({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="filters" onSubmit={(e) => void run(e)}>
      <label>
        Site to inspect
        <select value={chosen} onChange={(e) => setSiteId(e.currentTarget.value)}>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>{s.name}</option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy || chosen === ''}>Run inspection now</button>
      {note !== undefined && (
        <p class={note.ok ? 'muted' : 'error'} role={note.ok ? 'status' : 'alert'}>{note.text}</p>
      )}
    </form>
  );
}

export function ReportsPage() {
  const inspections = useLoad(() => api<{ items: Inspection[] }>('/api/inspections?limit=50').then((r) => r.items), []);
  const reports = useLoad(() => api<{ items: Report[] }>('/api/reports?limit=100').then((r) => r.items), []);
  const sites = useLoad(() => api<{ items: Site[] }>('/api/sites').then((r) => r.items), []);
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState<string>();
  const [started, setStarted] = useState(0);

  // Follow inspections under way (and one just started) until they have their report.
  const underWay = inspections.data?.some((i) => i.state === 'collecting' || i.state === 'checking') ?? false;
  const reloadInspections = inspections.reload;
  const reloadReports = reports.reload;
  const follow = underWay || started > Date.now() - 10_000;
  useEffect(() => {
    if (!follow) return undefined;
    const t = setInterval(() => {
      reloadInspections();
      reloadReports();
    }, REFRESH_MS);
    return () => clearInterval(t);
  }, [follow, reloadInspections, reloadReports]);

  const siteName = (id: string): string => sites.data?.find((s) => s.id === id)?.name ?? id;
  const getPdf = (id: string): void => {
    setError(undefined);
    download(`/api/reports/${encodeURIComponent(id)}/pdf`, `${id}.pdf`).catch((err: unknown) => setError((err as Error).message));
  };
  const resend = async (r: Report): Promise<void> => {
    setSending(r.id);
    setError(undefined);
    try {
      const next = await api<Report>(`/api/reports/${encodeURIComponent(r.id)}/send`, { method: 'POST' });
      reports.set((cur) => cur?.map((x) => (x.id === next.id ? next : x)));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSending(undefined);
    }
  };
  const ins = inspections.data;
  const reps = reports.data;
  const staff = canWrite();

  return (
    <Page title="Inspections and reports">
      {error !== undefined && <p class="error" role="alert">{error}</p>}
      {staff && sites.data !== undefined && sites.data.length > 0 && (
        <RunNow
          sites={sites.data}
          onStarted={() => {
            setStarted(Date.now());
            reloadInspections();
          }}
        />
      )}
      <section aria-labelledby="h-reports">
        <h2 id="h-reports">Reports</h2>
        <ListTable
          label="Reports"
          loaded={reports}
          rows={reps}
          empty="No inspection reports yet. Each inspection writes one report for its site."
          columns={['Report', 'Site', 'Date', 'Mailed', '']}
          row={(r) => (
            <tr key={r.id} data-report={r.id}>
              <th scope="row">{r.title}</th>
              <td><a href={href('sites', r.siteId)}>{siteName(r.siteId)}</a></td>
              <td>{fmtTime(r.createdAt)}</td>
              <td>
                {r.mailError !== null ? <span class="bad">not sent: {r.mailError}</span> : r.mailedAt !== null ? `${fmtTime(r.mailedAt)} to ${r.mailedTo.length} contact(s)` : 'not mailed'}
              </td>
              <td>
                <div class="row">
                  <button type="button" onClick={() => getPdf(r.id)} aria-label={`Download PDF: ${r.title}`}>Download PDF</button>
                  {staff && (
                    <button type="button" disabled={sending === r.id} onClick={() => void resend(r)} aria-label={`Send again: ${r.title}`}>Send again</button>
                  )}
                </div>
              </td>
            </tr>
          )}
        />
      </section>
      <section aria-labelledby="h-inspections">
        <h2 id="h-inspections">Inspections</h2>
        <ListTable
          label="Inspections"
          loaded={inspections}
          rows={ins}
          empty="No inspections yet. They run monthly per site, or now from here."
          columns={['Site', 'Started', 'Trigger', 'State', 'Result']}
          row={(i) => (
            <tr key={i.id} data-inspection={i.id} data-state={i.state}>
              <th scope="row"><a href={href('sites', i.siteId)}>{siteName(i.siteId)}</a></th>
              <td>{fmtTime(i.createdAt)}</td>
              <td>{i.trigger}</td>
              <td>
                <Badge state={i.state === 'failed' ? 'fault' : i.state === 'done' ? 'ok' : 'warn'} label={i.state} />
                {i.error !== null && <span class="bad"> {i.error}</span>}
              </td>
              <td>
                {i.summary !== null ? (
                  <>
                    <Badge state={VERDICT_TONE[i.summary.verdict]} label={i.summary.verdict} /> {i.summary.pass} pass · {i.summary.warn} warn · {i.summary.fail} fail
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          )}
        />
      </section>
    </Page>
  );
}
