/**
 * Reads one SNMP profile through a client: one GET for its scalars, one lock-step GETBULK
 * walk for the columns of all its tables, decoded by the profile. What each profile makes
 * of the result lives next door (ups.ts, interfaces.ts).
 */
import { snmp, type InventoryDevice, type Reading } from '@ledwatch/protocols';
import type { SnmpClient } from './client.js';

export interface ProfileData {
  readonly scalars: snmp.ScalarResult;
  /** Decoded rows by table name. */
  readonly tables: ReadonlyMap<string, snmp.TableResult>;
}

export async function readProfile(client: SnmpClient, profile: snmp.SnmpProfile, maxRepetitions: number): Promise<ProfileData> {
  const scalars = snmp.decodeScalars(profile, await client.get(snmp.scalarOids(profile)));
  const tableDefs = profile.tables ?? [];
  const varbinds = tableDefs.length === 0 ? [] : await client.walkColumns(tableDefs.flatMap(snmp.tableColumnOids), maxRepetitions);
  return { scalars, tables: new Map(tableDefs.map((t) => [t.name, snmp.decodeTable(t, varbinds)])) };
}

/** What the inventory says about the device besides its id and kind. */
export type Identity = Partial<Pick<InventoryDevice, 'name' | 'model' | 'firmware'>>;

/** A profile's reading logic: the driver owns sessions, timing and the inventory entry. */
export interface ProfileReader {
  readonly capabilities: readonly string[];
  /** Reads just enough to fill the inventory (used when inventory comes before a poll). */
  identify(client: SnmpClient): Promise<Identity>;
  poll(client: SnmpClient, at: number): Promise<{ readings: Reading[]; identity: Identity; problems: string[] }>;
}

/** Decode trouble as short lines for one log entry: OIDs the agent lacks, values of the wrong type. */
export function describeProblems(data: ProfileData): string[] {
  const lines = data.scalars.missing.map((oid) => `missing ${oid}`);
  for (const table of [data.scalars, ...data.tables.values()]) {
    for (const bad of table.invalid) lines.push(`invalid ${bad.oid} (${bad.metric}): ${bad.reason}`);
  }
  return lines;
}

/** Text cut to a contract field's length. */
export const clip = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);
