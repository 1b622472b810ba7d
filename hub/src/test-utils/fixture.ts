/**
 * Seed data every hub test can start from, written straight into the state database: an
 * admin, an engineer, and two customers each with one site and one customer-role user.
 * Every user has an API token and the password FIXTURE_PASSWORD (hashed with cheap scrypt
 * parameters so seeding stays fast).
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../db/index.js';
import type { HubContext } from '../context.js';
import { hashSecret, newSecret } from '../auth/secrets.js';
import { issueToken } from '../auth/tokens.js';
import { createUser } from '../auth/users.js';
import type { ScryptParams } from '../auth/passwords.js';

export const FIXTURE_PASSWORD = 'correct horse battery staple';
const CHEAP_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1 };

export interface SeededUser {
  id: string;
  email: string;
  role: Role;
  /** Bearer API token of this user. */
  token: string;
  tokenId: string;
}

export interface SeededCustomer {
  id: string;
  name: string;
  siteId: string;
  user: SeededUser;
}

export interface Fixture {
  admin: SeededUser;
  engineer: SeededUser;
  customers: [SeededCustomer, SeededCustomer];
  password: string;
}

async function seedUser(ctx: HubContext, email: string, role: Role, customerId: string | null = null): Promise<SeededUser> {
  const now = ctx.now();
  const id = await createUser(ctx.state.db, { email, name: email.split('@')[0] ?? email, role, customerId, password: FIXTURE_PASSWORD, scrypt: CHEAP_SCRYPT, now });
  const t = await issueToken(ctx.state.db, { userId: id, name: 'fixture', kind: 'api', expiresAt: null, now });
  return { id, email, role, token: t.token, tokenId: t.id };
}

async function seedCustomer(ctx: HubContext, key: string, name: string): Promise<SeededCustomer> {
  const now = ctx.now();
  const id = `cust-${key}`;
  const siteId = `site-${key}`;
  await ctx.state.db.insertInto('customers').values({ id, name, language: 'en', created_at: now, updated_at: now }).execute();
  await ctx.state.db
    .insertInto('sites')
    .values({ id: siteId, customer_id: id, name: `${name} HQ wall`, timezone: 'UTC', address: null, created_at: now, updated_at: now })
    .execute();
  return { id, name, siteId, user: await seedUser(ctx, `viewer@${key}.example`, 'customer', id) };
}

export async function seedFixture(ctx: HubContext): Promise<Fixture> {
  const admin = await seedUser(ctx, 'admin@ledwatch.example', 'admin');
  const engineer = await seedUser(ctx, 'engineer@ledwatch.example', 'engineer');
  const customers: [SeededCustomer, SeededCustomer] = [await seedCustomer(ctx, 'acme', 'Acme Malls'), await seedCustomer(ctx, 'globex', 'Globex Arena')];
  return { admin, engineer, customers, password: FIXTURE_PASSWORD };
}

/** An agent on a site, with its secret (only the hash is stored). */
export async function seedAgent(ctx: HubContext, siteId: string, opts: { id?: string; name?: string; online?: boolean } = {}): Promise<{ id: string; secret: string }> {
  const id = opts.id ?? `agent-${randomUUID().slice(0, 8)}`;
  const secret = newSecret();
  await ctx.state.db
    .insertInto('agents')
    .values({
      id,
      name: opts.name ?? id,
      site_id: siteId,
      secret_hash: hashSecret(secret),
      version: opts.online ? '1.0.0' : null,
      online: opts.online ? 1 : 0,
      last_seen: opts.online ? ctx.now() : null,
      session_id: null,
      started_at: null,
      hostname: null,
      platform: null,
      last_seq: null,
      revoked_at: null,
      created_at: ctx.now(),
    })
    .execute();
  return { id, secret };
}

export interface SeedDeviceInput {
  agentId: string;
  deviceId: string;
  kind: string;
  name?: string;
  model?: string;
  capabilities?: string[];
  state?: string;
}

/** A device row; returns its integer primary key (devices.id). */
export async function seedDevice(ctx: HubContext, d: SeedDeviceInput): Promise<number> {
  const now = ctx.now();
  const row = await ctx.state.db
    .insertInto('devices')
    .values({
      agent_id: d.agentId,
      device_id: d.deviceId,
      kind: d.kind,
      name: d.name ?? null,
      parent: null,
      model: d.model ?? null,
      firmware: null,
      serial: null,
      capabilities: JSON.stringify(d.capabilities ?? []),
      state: d.state ?? null,
      last_reading_at: null,
      first_seen: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Upserts the latest reading of a device component and bumps the device's last_reading_at. */
export async function seedReading(
  ctx: HubContext,
  devicePk: number,
  r: { component?: string; at: number; metrics: Record<string, number | boolean | string>; state?: string | null },
): Promise<void> {
  const values = { device_pk: devicePk, component: r.component ?? '', at: r.at, metrics: JSON.stringify(r.metrics), state: r.state ?? null };
  await ctx.state.db
    .insertInto('latest_readings')
    .values(values)
    .onConflict((oc) => oc.columns(['device_pk', 'component']).doUpdateSet({ at: values.at, metrics: values.metrics, state: values.state }))
    .execute();
  await ctx.state.db.updateTable('devices').set({ last_reading_at: r.at }).where('id', '=', devicePk).execute();
}
