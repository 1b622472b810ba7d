/**
 * A real hub context for tests: a temp folder, a real SQLite state file, real metrics, a
 * pino logger (silent unless LOG_LEVEL is set) and a fresh bus. `cleanup()` closes the
 * database and removes the folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadHubConfig } from '../config.js';
import type { AlarmOptions } from '../alarms/lifecycle.js';
import type { TicketOptions } from '../tickets/service.js';
import type { HubContext } from '../context.js';
import { createHubContext } from '../context-factory.js';
import { openStateDb } from '../db/index.js';

export { seedFixture, seedAgent, seedDevice, seedReading, FIXTURE_PASSWORD, type Fixture, type SeededUser, type SeededCustomer } from './fixture.js';

export interface TestContextOptions {
  /** Config values merged over the defaults (data.dir is always the temp folder). */
  config?: Record<string, unknown>;
  /** Clock in ms; default Date.now. */
  now?: () => number;
  /** Alarm service options; the sweep timer is off unless set (tests call ctx.alarms.sweep()). */
  alarms?: Partial<AlarmOptions>;
  /** Ticket service options; the sweep timer is off unless set (tests call ctx.tickets.sweep()). Tests call ctx.tickets.start() to subscribe to alarms. */
  tickets?: Partial<TicketOptions>;
}

export interface TestContext extends HubContext {
  dir: string;
  cleanup(): Promise<void>;
}

export async function createTestContext(overrides: TestContextOptions = {}): Promise<TestContext> {
  const dir = await mkdtemp(join(tmpdir(), 'ledwatch-hub-test-'));
  const extra = overrides.config ?? {};
  const dataOverride = typeof extra.data === 'object' && extra.data !== null ? (extra.data as Record<string, unknown>) : {};
  const config = loadHubConfig({ env: {}, overrides: { ...extra, data: { ...dataOverride, dir } } });
  const state = await openStateDb(join(dir, 'state.db'));
  const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const ctx = createHubContext({ config, log, state, alarms: { sweepIntervalMs: 0, ...overrides.alarms }, tickets: { sweepIntervalMs: 0, ...overrides.tickets }, ...(overrides.now ? { now: overrides.now } : {}) });
  return {
    dir,
    ...ctx,
    async cleanup() {
      ctx.tickets.close();
      await ctx.notify.close();
      ctx.alarms.close();
      await ctx.telemetry.close();
      ctx.latest.close();
      await state.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
