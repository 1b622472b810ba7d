/**
 * One device: its latest readings, and a chart of one metric — live (seconds-fresh from
 * /api/live, seeded with the last 10 minutes) or history over 1 h, 24 h or 30 d from
 * GET /api/devices/{id}/telemetry, in windows sized to the range.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from '../api.js';
import { openLive } from '../live.js';
import { href } from '../router.js';
import type { Device } from '../types.js';
import { Badge, ErrorBox, Loading, Page, ago, fmtValue, tone, useLoad, useTick } from '../ui.js';

type Range = 'live' | '1h' | '24h' | '30d';
const RANGES: { id: Range; label: string; ms: number; every?: string }[] = [
  { id: 'live', label: 'Live', ms: 10 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000, every: '15s' },
  { id: '24h', label: '24 h', ms: 86_400_000, every: '5m' },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000, every: '1h' },
];
const LIVE_KEEP_MS = 10 * 60_000;

interface Series { t: number[]; v: (number | null)[] }

function Chart({ series, label }: { series: Series; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot>();
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const width = Math.max(280, el.clientWidth);
    plot.current = new uPlot(
      { width, height: 260, series: [{}, { label, stroke: '#0b57d0', width: 2, spanGaps: false }], axes: [{}, { size: 60 }], legend: { show: true } },
      [[], []],
      el,
    );
    const onResize = (): void => plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 260 });
    addEventListener('resize', onResize);
    return () => {
      removeEventListener('resize', onResize);
      plot.current?.destroy();
    };
  }, [label]);
  useEffect(() => {
    plot.current?.setData([series.t.map((t) => t / 1000), series.v]);
  }, [series]);
  return <div ref={box} class="chart" role="img" aria-label={`Chart of ${label}: ${series.v.length} points${series.v.length > 0 ? `, latest ${fmtValue(series.v[series.v.length - 1])}` : ''}`} />;
}

export function DevicePage({ id }: { id: number }) {
  const device = useLoad(() => api<Device>(`/api/devices/${id}`), [id]);
  const [metric, setMetric] = useState<string>();
  const [range, setRange] = useState<Range>('live');
  const [series, setSeries] = useState<Series>({ t: [], v: [] });
  const now = useTick(5000);
  const d = device.data;

  const numeric = useMemo(() => {
    const m = d?.latest.find((l) => l.component === '')?.metrics ?? {};
    return Object.keys(m).filter((k) => typeof m[k] === 'number').sort();
  }, [d]);
  const chosen = metric ?? (numeric.includes('temperatureC') ? 'temperatureC' : numeric[0]);

  // History (or the live seed).
  useEffect(() => {
    if (chosen === undefined) return;
    const r = RANGES.find((x) => x.id === range) ?? RANGES[0];
    if (r === undefined) return;
    let live = true;
    const to = Date.now();
    const qs = new URLSearchParams({ metric: chosen, from: String(to - r.ms), to: String(to + 1000), ...(r.every !== undefined ? { every: r.every } : {}) });
    api<{ points: { t: number; v: unknown }[] }>(`/api/devices/${id}/telemetry?${qs}`).then(
      (h) => live && setSeries({ t: h.points.map((p) => p.t), v: h.points.map((p) => (typeof p.v === 'number' ? p.v : null)) }),
      () => live && setSeries({ t: [], v: [] }),
    );
    return () => {
      live = false;
    };
  }, [id, chosen, range]);

  // Live: readings of this device append to the chart and refresh the table.
  useEffect(() => {
    if (d === undefined) return;
    return openLive(d.siteId, {
      readings: (batch) => {
        const mine = batch.filter((r) => r.agentId === d.agentId && r.deviceId === d.deviceId && r.component === '');
        if (mine.length === 0) return;
        device.set((cur) => {
          if (cur === undefined) return cur;
          const last = mine[mine.length - 1];
          if (last === undefined) return cur;
          return { ...cur, state: last.state ?? cur.state, lastReadingAt: last.at, latest: [...cur.latest.filter((l) => l.component !== ''), { component: '', at: last.at, metrics: last.metrics, state: last.state }] };
        });
        if (range !== 'live' || chosen === undefined) return;
        setSeries((s) => {
          const t = [...s.t];
          const v = [...s.v];
          for (const r of mine) {
            const x = r.metrics[chosen];
            if (typeof x !== 'number' || (t.length > 0 && r.at <= (t[t.length - 1] ?? 0))) continue;
            t.push(r.at);
            v.push(x);
          }
          const cut = t.findIndex((x) => x >= Date.now() - LIVE_KEEP_MS);
          return cut > 0 ? { t: t.slice(cut), v: v.slice(cut) } : { t, v };
        });
      },
    });
    // Re-subscribe only when the device, metric or range changes.
  }, [d?.id, d?.siteId, chosen, range]);

  const components = d?.latest ?? [];
  return (
    <Page title={d?.name ?? d?.deviceId ?? 'Device'} actions={d !== undefined ? <a href={href('sites', d.siteId)}>← Site</a> : null}>
      <ErrorBox error={device.error} />
      <Loading when={device.loading && d === undefined} />
      {d !== undefined && (
        <>
          <p>
            <Badge state={tone(d.state)} label={d.state ?? 'no data'} /> <span class="muted">{d.kind}{d.model ? ` · ${d.model}` : ''} · agent {d.agentId} · last reading {ago(d.lastReadingAt, now)}</span>
          </p>
          <section aria-labelledby="h-chart" class="card">
            <h2 id="h-chart">Chart</h2>
            <div class="filters">
              <label>
                Metric
                <select value={chosen ?? ''} onChange={(e) => setMetric(e.currentTarget.value)}>
                  {numeric.map((m) => (
                    <option key={m} value={m}>{m}</option>
                  ))}
                </select>
              </label>
              <div role="group" aria-label="Time range" class="seg">
                {RANGES.map((r) => (
                  <button type="button" key={r.id} aria-pressed={range === r.id} onClick={() => setRange(r.id)}>{r.label}</button>
                ))}
              </div>
            </div>
            {chosen === undefined ? <p class="empty">No numeric metric to chart.</p> : <Chart series={series} label={chosen} />}
          </section>
          <section aria-labelledby="h-latest">
            <h2 id="h-latest">Latest readings</h2>
            {components.map((l) => (
              <div class="card" key={l.component}>
                <h3>{l.component === '' ? 'Device' : l.component} <span class="muted">· {ago(l.at, now)}</span></h3>
                <dl class="kv wide">
                  {Object.entries(l.metrics).map(([k, v]) => (
                    <div key={k}>
                      <dt>{k}</dt>
                      <dd data-metric={k}>{fmtValue(v)}</dd>
                    </div>
                  ))}
                </dl>
              </div>
            ))}
          </section>
        </>
      )}
    </Page>
  );
}
