/**
 * Software releases (GET /api/releases) and rollouts with their progress per wave
 * (GET /api/rollouts). A hub without the upgrades capability shows an empty state.
 */
import { api, hasRoute } from '../api.js';
import { Empty, ErrorBox, Loading, Page, fmtTime, useLoad } from '../ui.js';

interface Release { id: string; version?: string; channel?: string; createdAt?: number; signed?: boolean; notes?: string | null }
interface Wave { index?: number; name?: string; state?: string; total?: number; agents?: number | string[]; done?: number; succeeded?: number; failed?: number }
interface Rollout { id: string | number; releaseId?: string; version?: string; state?: string; createdAt?: number; waves?: Wave[] }

const n = (x: number | string[] | undefined): number => (Array.isArray(x) ? x.length : (x ?? 0));

function WaveBar({ w, i }: { w: Wave; i: number }) {
  const total = w.total ?? n(w.agents);
  const done = w.succeeded ?? w.done ?? 0;
  const failed = w.failed ?? 0;
  const label = `Wave ${(w.index ?? i) + 1}${w.name ? ` (${w.name})` : ''}`;
  return (
    <li class="wave">
      <span>{label}: {w.state ?? ''} {done}/{total}{failed > 0 ? `, ${failed} failed` : ''}</span>
      <progress max={Math.max(total, 1)} value={done} aria-label={`${label} progress`} />
    </li>
  );
}

export function ReleasesPage() {
  const data = useLoad(async () => {
    const [hasReleases, hasRollouts] = await Promise.all([hasRoute('/api/releases'), hasRoute('/api/rollouts')]);
    const [releases, rollouts] = await Promise.all([
      hasReleases ? api<{ items: Release[] }>('/api/releases').then((r) => r.items) : null,
      hasRollouts ? api<{ items: Rollout[] }>('/api/rollouts').then((r) => r.items) : null,
    ]);
    return { releases, rollouts };
  }, []);
  const d = data.data;
  return (
    <Page title="Releases and rollouts">
      <ErrorBox error={data.error} />
      <Loading when={data.loading && d === undefined} />
      {d !== undefined && (
        <>
          <section aria-labelledby="h-releases">
            <h2 id="h-releases">Releases</h2>
            {d.releases === null && <Empty>This hub does not manage agent releases yet.</Empty>}
            {d.releases?.length === 0 && <Empty>No releases uploaded.</Empty>}
            {d.releases !== null && d.releases.length > 0 && (
              <ul class="plain">
                {d.releases.map((r) => (
                  <li key={r.id}>
                    <strong>{r.version ?? r.id}</strong> {r.channel ? `· ${r.channel}` : ''} · {fmtTime(r.createdAt ?? null)} {r.signed === false ? '· unsigned' : ''}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="h-rollouts">
            <h2 id="h-rollouts">Rollouts</h2>
            {d.rollouts === null && <Empty>This hub does not run rollouts yet.</Empty>}
            {d.rollouts?.length === 0 && <Empty>No rollouts.</Empty>}
            {d.rollouts?.map((r) => (
              <article class="card" key={r.id}>
                <h3>{r.version ?? r.releaseId ?? r.id} <span class="muted">· {r.state ?? ''}</span></h3>
                <ul class="plain">
                  {(r.waves ?? []).map((w, i) => (
                    <WaveBar key={i} w={w} i={i} />
                  ))}
                </ul>
              </article>
            ))}
          </section>
        </>
      )}
    </Page>
  );
}
