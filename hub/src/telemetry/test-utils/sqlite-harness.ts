/** Embedded stores on a real SQLite state file in a temp folder, for tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type StateDb, openStateDb } from '../../db/index.js';
import { SqliteTelemetryStore, type SqliteStoreOptions } from '../sqlite.js';
import type { StoreHarness } from './conformance.js';

export const RETENTION = { rawRetentionDays: 30, minuteRetentionDays: 365, hourRetentionDays: 1825 };

export interface SqliteHarness extends StoreHarness {
  state: StateDb;
  open(over?: Partial<SqliteStoreOptions>): Promise<SqliteTelemetryStore>;
}

export async function sqliteHarness(): Promise<SqliteHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'ledwatch-telemetry-'));
  const state = await openStateDb(join(dir, 'state.db'));
  const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  return {
    state,
    open: (over = {}) => Promise.resolve(new SqliteTelemetryStore({ sqlite: state.sqlite, log, now: Date.now, ...RETENTION, ...over })),
    async cleanup() {
      await state.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
