/**
 * Creates the InfluxDB database and the hub's retention policy when they are missing, and
 * keeps the policy's duration equal to telemetry.rawRetentionDays. InfluxDB 1.x; on 2.x and
 * 3.x, where databases are buckets made there, set influx.createDatabase to false.
 */
import type { Logger } from 'pino';
import { type InfluxHttp, quoteIdent } from './influx-http.js';

export interface SetupOptions {
  database: string;
  retentionPolicy: string;
  rawRetentionDays: number;
}

/** Hours of a retention policy (InfluxDB's minimum is 1 h). */
export function retentionHours(days: number): number {
  return Math.max(1, Math.round(days * 24));
}

/** `720h0m0s` → 720; `0s` (infinite) → 0. */
export function durationHours(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (m === null) return Number.NaN;
  return Number(m[1] ?? 0) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
}

export async function setupDatabase(http: InfluxHttp, opts: SetupOptions, log: Logger): Promise<void> {
  const db = quoteIdent(opts.database);
  const rp = quoteIdent(opts.retentionPolicy);
  const hours = retentionHours(opts.rawRetentionDays);
  const [databases = []] = await http.query('SHOW DATABASES', { database: false });
  const names = databases.flatMap((s) => s.values.map((v) => v[0]));
  if (!names.includes(opts.database)) {
    await http.query(`CREATE DATABASE ${db}`, { mutate: true, database: false });
    log.info({ database: opts.database }, 'InfluxDB database created');
  }
  const [policies = []] = await http.query(`SHOW RETENTION POLICIES ON ${db}`, { database: false });
  const row = policies.flatMap((s) => s.values).find((v) => v[0] === opts.retentionPolicy);
  if (row === undefined) {
    await http.query(`CREATE RETENTION POLICY ${rp} ON ${db} DURATION ${hours}h REPLICATION 1 DEFAULT`, { mutate: true, database: false });
    log.info({ database: opts.database, retentionPolicy: opts.retentionPolicy, hours }, 'InfluxDB retention policy created');
  } else if (durationHours(String(row[1])) !== hours) {
    await http.query(`ALTER RETENTION POLICY ${rp} ON ${db} DURATION ${hours}h`, { mutate: true, database: false });
    log.info({ database: opts.database, retentionPolicy: opts.retentionPolicy, hours, was: row[1] }, 'InfluxDB retention policy duration changed');
  }
}
