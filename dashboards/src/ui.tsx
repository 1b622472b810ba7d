/** Small pieces every page uses: loading data, state badges, empty and error states, times. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
  set(update: (cur: T | undefined) => T | undefined): void;
}

/** Runs `load` now and whenever `deps` change; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (err: unknown) => live && setState((s) => ({ data: s.data, error: err instanceof ApiError ? err : new ApiError(0, 'client', String(err)), loading: false })),
    );
    return () => {
      live = false;
    };
    // deps are the caller's, plus the reload counter
  }, [...deps, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  const set = useCallback((update: (cur: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: update(s.data) })), []);
  return { ...state, reload, set };
}

export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · ledwatch`;
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">{title}</h1>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function ErrorBox({ error }: { error: ApiError | undefined }) {
  if (error === undefined) return null;
  return (
    <p class="error" role="alert">
      {error.status === 404 ? 'Not found, or not yours to see.' : error.message}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function Loading({ when }: { when: boolean }) {
  return when ? <p class="muted" aria-live="polite">Loading…</p> : null;
}

/**
 * A list as a scrollable table, with its error, loading and empty states. `columns` are
 * the header cells ('' = an actions column, named for screen readers only); `row` draws
 * one `<tr>`, its first cell a row header.
 */
export function ListTable<T>({ label, loaded, rows, empty, columns, row }: {
  label: string;
  loaded: Pick<Loaded<unknown>, 'error' | 'loading'>;
  rows: T[] | undefined;
  empty: ComponentChildren;
  columns: string[];
  row: (item: T) => ComponentChildren;
}) {
  return (
    <>
      <ErrorBox error={loaded.error} />
      <Loading when={loaded.loading && rows === undefined} />
      {rows?.length === 0 && <Empty>{empty}</Empty>}
      {rows !== undefined && rows.length > 0 && (
        <div class="scroll" role="region" aria-label={label} tabIndex={0}>
          <table class="list">
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i} scope="col">{c === '' ? <span class="sr-only">Actions</span> : c}</th>
                ))}
              </tr>
            </thead>
            <tbody>{rows.map(row)}</tbody>
          </table>
        </div>
      )}
    </>
  );
}

const LABEL: Record<string, string> = { fault: 'fault', offline: 'offline', warn: 'warning', ok: 'ok', none: 'no agents', unknown: 'no data' };

/** A state badge with text (colour is never the only cue). */
export function Badge({ state, label }: { state: string; label?: string }) {
  return <span class={`badge s-${state}`}>{label ?? LABEL[state] ?? state}</span>;
}

/** Device or reading state → one of fault, warn, ok, offline, unknown (colours). */
export function tone(state: string | null | undefined): 'fault' | 'warn' | 'ok' | 'offline' | 'unknown' {
  if (state === null || state === undefined) return 'unknown';
  if (['fault', 'missing', 'critical', 'error'].includes(state)) return 'fault';
  if (['warn', 'risk', 'unknown', 'held'].includes(state)) return 'warn';
  if (state === 'offline') return 'offline';
  return state === 'ok' ? 'ok' : 'unknown';
}

export const severityTone = (s: string): 'fault' | 'warn' | 'unknown' => (s === 'fault' || s === 'critical' ? 'fault' : s === 'risk' ? 'warn' : 'unknown');

export function ago(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return 'never';
  const s = Math.round((now - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

export function duration(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export const fmtTime = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toLocaleString());

export function fmtValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(1);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** Re-renders every `ms` (countdowns, "3 min ago"). */
export function useTick(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
