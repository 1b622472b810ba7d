/**
 * A typed face for the parts of `net-snmp` (a CommonJS package without type declarations)
 * that the SNMP driver and the SNMP simulators use. Only what is written here is used; the
 * shapes follow the package README (sessions, agent, MIB providers, authorizer).
 */
import type { Socket } from 'node:dgram';
import { createRequire } from 'node:module';

export interface NetSnmpVarbind {
  readonly oid: string;
  readonly type: number;
  readonly value: unknown;
}

type Callback<T> = (error: Error | null, result?: T) => void;

export interface NetSnmpSession {
  get(oids: string[], callback: Callback<NetSnmpVarbind[]>): void;
  /** Per requested OID past `nonRepeaters`, an array of the varbinds that follow it. */
  getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, callback: Callback<(NetSnmpVarbind | NetSnmpVarbind[])[]>): void;
  on(event: 'error' | 'close', listener: (...args: unknown[]) => void): this;
  close(): void;
}

export interface NetSnmpUser {
  name: string;
  level: number;
  authProtocol?: number;
  authKey?: string;
  privProtocol?: number;
  privKey?: string;
}

export interface NetSnmpSessionOptions {
  port: number;
  version?: number;
  timeout: number;
  retries: number;
  transport?: 'udp4' | 'udp6';
  context?: string;
}

export interface MibRequest {
  readonly oid: string;
  readonly operation: number;
  readonly instanceNode: { value: unknown };
  done(error?: { errorStatus: number }): void;
}

export interface MibColumn {
  number: number;
  name: string;
  type: number;
  maxAccess: number;
}

export interface MibProvider {
  name: string;
  type: number;
  oid: string;
  maxAccess: number;
  scalarType?: number;
  tableColumns?: MibColumn[];
  tableIndex?: { columnName: string; foreign?: string }[];
  handler?: (request: MibRequest) => void;
}

export interface NetSnmpMib {
  registerProvider(provider: MibProvider): void;
  setScalarValue(name: string, value: unknown): void;
  addTableRow(name: string, row: unknown[]): void;
  setTableSingleCell(name: string, column: number, rowIndex: unknown[], value: unknown): void;
}

export interface NetSnmpAuthorizer {
  addCommunity(community: string): void;
  addUser(user: NetSnmpUser): void;
}

export interface NetSnmpAgent {
  getMib(): NetSnmpMib;
  getAuthorizer(): NetSnmpAuthorizer;
  close(callback?: () => void): void;
}

export interface NetSnmpAgentOptions {
  port: number;
  address: string;
  transport?: 'udp4' | 'udp6';
  disableAuthorization?: boolean;
  /** Used by the agent to make its listening socket; lets a simulator hold that socket. */
  dgramModule?: { createSocket(type: 'udp4' | 'udp6'): Socket };
}

export interface NetSnmp {
  readonly Version2c: number;
  readonly Version3: number;
  readonly ObjectType: Readonly<Record<'Integer' | 'OctetString' | 'OID' | 'Counter' | 'Gauge' | 'TimeTicks' | 'Counter64', number>>;
  readonly SecurityLevel: Readonly<Record<'noAuthNoPriv' | 'authNoPriv' | 'authPriv', number>>;
  readonly AuthProtocols: Readonly<Record<string, number>>;
  readonly PrivProtocols: Readonly<Record<string, number>>;
  readonly MibProviderType: Readonly<Record<'Scalar' | 'Table', number>>;
  readonly MaxAccess: Readonly<Record<'not-accessible' | 'read-only' | 'read-write', number>>;
  readonly ErrorStatus: Readonly<Record<number, string>>;
  readonly ResponseInvalidCode: Readonly<Record<'ECouldNotDecrypt' | 'EAuthFailure', number>>;
  createSession(target: string, community: string, options: NetSnmpSessionOptions): NetSnmpSession;
  createV3Session(target: string, user: NetSnmpUser, options: NetSnmpSessionOptions): NetSnmpSession;
  createAgent(options: NetSnmpAgentOptions, callback: (error: Error | null) => void): NetSnmpAgent;
}

const require = createRequire(import.meta.url);

export const netSnmp = require('net-snmp') as NetSnmp;
