/**
 * Inspection reports (GET /api/reports) with their PDFs (GET /api/reports/{id}/pdf). A hub
 * without the reports capability shows an empty state, not an error.
 */
import { useState } from 'preact/hooks';
import { api, download, hasRoute } from '../api.js';
import { href } from '../router.js';
import { Empty, ErrorBox, Loading, Page, fmtTime, useLoad } from '../ui.js';

interface Report {
  id: string | number;
  siteId?: string;
  title?: string;
  kind?: string;
  period?: string;
  status?: string;
  createdAt?: number;
  generatedAt?: number;
}

export function ReportsPage() {
  const reports = useLoad(async () => ((await hasRoute('/api/reports')) ? (await api<{ items: Report[] }>('/api/reports')).items : null), []);
  const [error, setError] = useState<string>();
  const get = (r: Report): void => {
    setError(undefined);
    download(`/api/reports/${encodeURIComponent(String(r.id))}/pdf`, `report-${r.id}.pdf`).catch((err: unknown) => setError((err as Error).message));
  };
  const items = reports.data;
  return (
    <Page title="Inspections and reports">
      <ErrorBox error={reports.error} />
      {error !== undefined && <p class="error" role="alert">{error}</p>}
      <Loading when={reports.loading && items === undefined} />
      {items === null && <Empty>This hub does not produce inspection reports yet.</Empty>}
      {items !== undefined && items !== null && items.length === 0 && <Empty>No inspection reports yet. The monthly inspection writes one per site.</Empty>}
      {items !== undefined && items !== null && items.length > 0 && (
        <div class="scroll" role="region" aria-label="Reports" tabIndex={0}>
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Site</th>
                <th scope="col">Date</th>
                <th scope="col">Status</th>
                <th scope="col"><span class="sr-only">Download</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-report={r.id}>
                  <th scope="row">{r.title ?? `${r.kind ?? 'Inspection'} ${r.period ?? r.id}`}</th>
                  <td>{r.siteId !== undefined ? <a href={href('sites', r.siteId)}>{r.siteId}</a> : '—'}</td>
                  <td>{fmtTime(r.generatedAt ?? r.createdAt ?? null)}</td>
                  <td>{r.status ?? '—'}</td>
                  <td>
                    <button type="button" onClick={() => get(r)}>Download PDF</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
