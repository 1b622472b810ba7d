/**
 * Maintenance windows per site, held in memory for the evaluator: an alarm raised while
 * its site is in a window is recorded with `suppressed` and announces nothing (no bus
 * event, so no ticket and no notification). When the window ends (or is deleted) and the
 * alarm is still open, the sweep releases it: suppressed is reset and it is announced as
 * raised then. Alarms that cleared inside the window stay recorded, never announced.
 */
import type Database from 'better-sqlite3';

interface Span {
  startsAt: number;
  endsAt: number;
}

export class MaintenanceCalendar {
  readonly #bySite = new Map<string, Span[]>();
  readonly #st;

  constructor(db: Database.Database) {
    this.#st = {
      current: db.prepare<[number], { site_id: string; starts_at: number; ends_at: number }>('select site_id, starts_at, ends_at from maintenance_windows where ends_at > ?'),
      site: db.prepare<[string, number], { starts_at: number; ends_at: number }>('select starts_at, ends_at from maintenance_windows where site_id = ? and ends_at > ?'),
    };
  }

  /** Every window not over yet. */
  load(now: number): void {
    this.#bySite.clear();
    for (const w of this.#st.current.all(now)) {
      const list = this.#bySite.get(w.site_id) ?? [];
      list.push({ startsAt: w.starts_at, endsAt: w.ends_at });
      this.#bySite.set(w.site_id, list);
    }
  }

  reloadSite(siteId: string, now: number): void {
    const spans = this.#st.site.all(siteId, now).map((w) => ({ startsAt: w.starts_at, endsAt: w.ends_at }));
    if (spans.length === 0) this.#bySite.delete(siteId);
    else this.#bySite.set(siteId, spans);
  }

  active(siteId: string, now: number): boolean {
    const spans = this.#bySite.get(siteId);
    if (spans === undefined) return false;
    return spans.some((s) => s.startsAt <= now && now < s.endsAt);
  }
}
