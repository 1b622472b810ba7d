/**
 * Software releases (GET /api/releases) and their rollouts (GET /api/rollouts): progress
 * per wave, each agent's state and last upgrade stage with its error code, and pause,
 * resume and cancel for engineers and admins. Refreshes while a rollout is running.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, canWrite } from '../api.js';
import type { Release, Rollout, RolloutTarget, RolloutWave } from '../types.js';
import { Badge, Empty, ErrorBox, ListTable, Loading, Page, fmtTime, useLoad } from '../ui.js';

const REFRESH_MS = 3000;

const ROLLOUT_TONE: Record<Rollout['state'], string> = { running: 'warn', paused: 'warn', completed: 'ok', aborted: 'fault', cancelled: 'offline' };

/** Colour of an agent's row: its upgrade stage when it reported one, else its state in the rollout. */
function targetTone(t: RolloutTarget): string {
  if (t.state === 'succeeded') return 'ok';
  if (t.state === 'failed' || t.stage === 'failed' || t.stage === 'rolled-back') return 'fault';
  if (t.state === 'sent') return 'warn';
  if (t.state === 'cancelled') return 'offline';
  return 'unknown';
}

const TARGET_LABEL: Record<RolloutTarget['state'], string> = {
  pending: 'pending',
  skipped: 'skipped',
  'waiting-window': 'waiting for window',
  sent: 'in progress',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

function WaveRow({ w, current }: { w: RolloutWave; current: boolean }) {
  const label = `Wave ${w.index + 1}${w.name !== null ? ` (${w.name})` : ''}`;
  return (
    <li class="wave" data-wave={w.index}>
      <strong>{label}</strong>
      {current && <span class="badge s-unknown">current</span>}
      <progress max={Math.max(w.total, 1)} value={w.succeeded} aria-label={`${label}: ${w.succeeded} of ${w.total} succeeded`} />
      <span class="wave-counts">
        {w.succeeded}/{w.total} succeeded · {w.inProgress} in progress · {w.pending} pending
        {w.failed > 0 ? <span class="bad"> · {w.failed} failed</span> : ` · 0 failed`}
      </span>
    </li>
  );
}

function RolloutCard({ r, release, onChange }: { r: Rollout; release: Release | undefined; onChange(r: Rollout): void }) {
  const [busy, setBusy] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [error, setError] = useState<string>();
  const act = async (action: 'pause' | 'resume' | 'cancel'): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      onChange(await api<Rollout>(`/api/rollouts/${encodeURIComponent(r.id)}/${action}`, { method: 'POST' }));
      setConfirmCancel(false);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const title = release === undefined ? r.releaseId : `${release.name} ${release.version}`;
  const live = r.state === 'running' || r.state === 'paused';
  const targets = r.targets.filter((t) => t.state !== 'skipped');
  return (
    <article class="card" data-rollout={r.id} data-state={r.state} aria-labelledby={`ro-${r.id}`}>
      <div class="row">
        <h3 id={`ro-${r.id}`}>Rollout of {title}</h3>
        <Badge state={ROLLOUT_TONE[r.state]} label={r.state} />
      </div>
      <p class="muted">
        {r.id} · started {fmtTime(r.createdAt)} · updated {fmtTime(r.updatedAt)}
        {r.reason !== null && <> · {r.reason}</>}
      </p>
      {canWrite() && live && (
        <div class="row">
          {r.state === 'running' && <button type="button" disabled={busy} onClick={() => void act('pause')}>Pause</button>}
          {r.state === 'paused' && <button type="button" disabled={busy} onClick={() => void act('resume')}>Resume</button>}
          {!confirmCancel && <button type="button" disabled={busy} onClick={() => setConfirmCancel(true)}>Cancel rollout…</button>}
          {confirmCancel && (
            <>
              <button type="button" class="danger" disabled={busy} onClick={() => void act('cancel')}>Yes, cancel the rollout</button>
              <button type="button" disabled={busy} onClick={() => setConfirmCancel(false)}>Keep it</button>
            </>
          )}
        </div>
      )}
      {error !== undefined && <p class="error" role="alert">{error}</p>}
      <ul class="plain" aria-label="Waves">
        {r.waves.map((w) => (
          <WaveRow key={w.index} w={w} current={live && w.index === r.currentWave} />
        ))}
      </ul>
      {targets.length > 0 && (
        <div class="scroll" role="region" aria-label={`Agents of rollout ${r.id}`} tabIndex={0}>
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Wave</th>
                <th scope="col">State</th>
                <th scope="col">Stage</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {targets.map((t) => (
                <tr key={t.agentId} data-target={t.agentId} data-state={t.state} data-stage={t.stage ?? ''}>
                  <th scope="row">{t.agentId}</th>
                  <td>{t.wave + 1}</td>
                  <td><Badge state={targetTone(t)} label={TARGET_LABEL[t.state]} /></td>
                  <td>{t.stage ?? '—'}</td>
                  <td>
                    {t.errorCode !== null && <code>{t.errorCode}</code>} {t.reason ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {r.skipped.length > 0 && (
        <details>
          <summary>{r.skipped.length} agent(s) skipped</summary>
          <ul>
            {r.skipped.map((s) => (
              <li key={s.agentId}>
                {s.agentId}: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}

export function ReleasesPage() {
  const releases = useLoad(() => api<{ items: Release[] }>('/api/releases').then((r) => r.items), []);
  const rollouts = useLoad(() => api<{ items: Rollout[] }>('/api/rollouts').then((r) => r.items), []);
  const running = rollouts.data?.some((r) => r.state === 'running') ?? false;
  const { reload } = rollouts;
  useEffect(() => {
    if (!running) return undefined;
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [running, reload]);
  const replace = (next: Rollout): void => rollouts.set((cur) => cur?.map((r) => (r.id === next.id ? next : r)));
  const rel = releases.data;
  const ros = rollouts.data;
  return (
    <Page title="Releases and rollouts">
      <section aria-labelledby="h-releases">
        <h2 id="h-releases">Releases</h2>
        <ListTable
          label="Releases"
          loaded={releases}
          rows={rel}
          empty="No releases uploaded yet. Sign one with `ledwatch-hub release sign` and upload it through the API."
          columns={['Release', 'Kind', 'Artifact', 'Uploaded']}
          row={(r) => (
            <tr key={r.id} data-release={r.id}>
              <th scope="row">
                {r.name} {r.version}
              </th>
              <td>{r.kind}</td>
              <td>
                {r.yankedAt !== null ? (
                  <Badge state="fault" label="yanked" />
                ) : r.ready ? (
                  <Badge state="ok" label="ready" />
                ) : (
                  <Badge state="warn" label="awaiting artifact" />
                )}{' '}
                {bytes(r.size)}
                {r.yankReason !== null && <> · {r.yankReason}</>}
              </td>
              <td>{fmtTime(r.createdAt)}</td>
            </tr>
          )}
        />
      </section>
      <section aria-labelledby="h-rollouts">
        <h2 id="h-rollouts">Rollouts</h2>
        <ErrorBox error={rollouts.error} />
        <Loading when={rollouts.loading && ros === undefined} />
        {ros?.length === 0 && <Empty>No rollouts yet.</Empty>}
        {ros?.map((r) => (
          <RolloutCard key={r.id} r={r} release={rel?.find((x) => x.id === r.releaseId)} onChange={replace} />
        ))}
      </section>
    </Page>
  );
}
