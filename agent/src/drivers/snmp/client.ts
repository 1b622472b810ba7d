/**
 * One SNMP session for one poll: GET of scalars and a GETBULK walk of table columns, with
 * net-snmp's callback errors turned into typed {@link AgentError}s. A session lives only
 * as long as its poll, so aborting a poll closes its socket and cancels whatever is in
 * flight; an SNMPv3 session rediscovers the agent's engine each poll (one more round trip).
 */
import { snmp } from '@ledwatch/protocols';
import { abortReason, raceAbort } from '../../abort.js';
import { AgentError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { netSnmp, type NetSnmpSession, type NetSnmpUser, type NetSnmpVarbind } from './net-snmp.js';
import type { SnmpOptions } from './options.js';

/** A walk stops with an error past this many varbinds per column: an agent that never ends its table. */
export const MAX_COLUMN_ROWS = 10_000;

export class SnmpClient {
  readonly #session: NetSnmpSession;
  readonly #options: SnmpOptions;
  #closed = false;

  constructor(options: SnmpOptions, log: Logger) {
    this.#options = options;
    const common = { port: options.port, timeout: options.timeoutMs, retries: options.retries, transport: options.host.includes(':') ? ('udp6' as const) : ('udp4' as const) };
    this.#session =
      options.version === '3' && options.v3 !== undefined
        ? netSnmp.createV3Session(options.host, v3User(options.v3), { ...common, ...(options.v3.context !== undefined && { context: options.v3.context }) })
        : netSnmp.createSession(options.host, options.community, { ...common, version: netSnmp.Version2c });
    // net-snmp emits 'error' for an undecodable datagram; without a listener that would throw.
    this.#session.on('error', (err) => log.debug({ err: String(err) }, 'ignored an undecodable SNMP datagram'));
  }

  /** Values of `oids`, in order; absent ones come back as noSuchObject/noSuchInstance varbinds. */
  get(oids: string[]): Promise<NetSnmpVarbind[]> {
    return new Promise((resolve, reject) => {
      this.#session.get(oids, (err, varbinds) => (err ? reject(this.#error(err)) : resolve(varbinds ?? [])));
    });
  }

  /**
   * Every varbind under each column OID, walking all columns in step with GETBULK (as
   * `snmptable` does): one request carries every column that has not ended yet. An answer
   * may be cut short (RFC 3416 lets an agent return fewer varbinds; net-snmp's own agent
   * caps the total at max-repetitions): a column it left out is asked again next round.
   */
  async walkColumns(columns: readonly string[], maxRepetitions: number): Promise<NetSnmpVarbind[]> {
    const found: NetSnmpVarbind[] = [];
    let open = columns.map((base) => ({ base, next: base, rows: 0 }));
    while (open.length > 0) {
      const answer = await this.#bulk(
        open.map((c) => c.next),
        maxRepetitions,
      );
      let progressed = false;
      open = open.filter((cursor, i) => {
        const entry = answer[i] ?? [];
        for (const vb of Array.isArray(entry) ? entry : [entry]) {
          progressed = true;
          const inColumn = snmp.oidSuffix(vb.oid, cursor.base) !== undefined && !snmp.isAbsent(vb);
          if (!inColumn || snmp.compareOids(vb.oid, cursor.next) <= 0) return false;
          found.push(vb);
          cursor.next = vb.oid;
          if (++cursor.rows > MAX_COLUMN_ROWS) throw this.#fail('snmp-error', `column ${cursor.base} has more than ${MAX_COLUMN_ROWS} rows`, 'check the agent: its table does not end');
        }
        return true;
      });
      if (!progressed) throw this.#fail('snmp-error', 'GETBULK answered with no varbinds', 'check the agent: it cannot walk these columns');
    }
    return found;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#session.close();
    } catch {
      /* the socket was never bound or is already closed */
    }
  }

  /** GETBULK; an agent that answers tooBig is asked again for half as many rows. */
  #bulk(oids: string[], maxRepetitions: number): Promise<(NetSnmpVarbind | NetSnmpVarbind[])[]> {
    return new Promise((resolve, reject) => {
      this.#session.getBulk(oids, 0, maxRepetitions, (err, varbinds) => {
        if (!err) resolve(varbinds ?? []);
        else if (isTooBig(err) && maxRepetitions > 1) this.#bulk(oids, Math.floor(maxRepetitions / 2)).then(resolve, reject);
        else reject(this.#error(err));
      });
    });
  }

  #fail(code: 'snmp-timeout' | 'snmp-auth-failed' | 'snmp-error', message: string, hint: string, cause?: Error): AgentError {
    const o = this.#options;
    return new AgentError(code, `SNMP ${o.host}:${o.port}: ${message}`, hint, cause === undefined ? undefined : { cause });
  }

  /** net-snmp's error as a typed one; never mentions the community or keys. */
  #error(err: Error): AgentError {
    const o = this.#options;
    const code = (err as { code?: unknown }).code;
    if (err.name === 'RequestTimedOutError') {
      const tries = o.retries + 1;
      const why = o.version === '3' ? 'check host, port and that SNMPv3 is enabled' : 'check host, port and the community (a v2c agent ignores a wrong one)';
      return this.#fail('snmp-timeout', `no response within ${o.timeoutMs} ms (${tries} ${tries === 1 ? 'try' : 'tries'})`, why, err);
    }
    if (err.name === 'ResponseInvalidError' && (code === netSnmp.ResponseInvalidCode.EAuthFailure || code === netSnmp.ResponseInvalidCode.ECouldNotDecrypt)) {
      return this.#fail('snmp-auth-failed', `SNMPv3 user "${o.v3?.user ?? ''}" refused: ${err.message}`, 'check v3.user, the auth and priv protocols and keys against the device', err);
    }
    if (err.name === 'RequestFailedError') {
      const status = (err as { status?: unknown }).status;
      const name = typeof status === 'number' ? (netSnmp.ErrorStatus[status] ?? String(status)) : 'unknown';
      return this.#fail('snmp-error', `agent answered with error status ${name}: ${err.message}`, 'check that the device supports the profile and grants this community or user read access', err);
    }
    return this.#fail('snmp-error', err.message, 'see the message; the device answered with something the driver cannot use', err);
  }
}

const TOO_BIG = 1;
const isTooBig = (err: Error): boolean => err.name === 'RequestFailedError' && (err as { status?: unknown }).status === TOO_BIG;

function v3User(v3: NonNullable<SnmpOptions['v3']>): NetSnmpUser {
  const user: NetSnmpUser = { name: v3.user, level: netSnmp.SecurityLevel[v3.level] };
  if (v3.level === 'noAuthNoPriv') return user;
  Object.assign(user, { authProtocol: netSnmp.AuthProtocols[v3.authProtocol], authKey: v3.authKey });
  if (v3.level === 'authPriv') Object.assign(user, { privProtocol: netSnmp.PrivProtocols[v3.privProtocol], privKey: v3.privKey });
  return user;
}

/** Runs `work` with a fresh session; aborting `signal` rejects at once and closes the socket. */
export async function withSnmpClient<T>(options: SnmpOptions, log: Logger, signal: AbortSignal, work: (client: SnmpClient) => Promise<T>): Promise<T> {
  if (signal.aborted) throw abortReason(signal);
  const client = new SnmpClient(options, log);
  try {
    return await raceAbort(work(client), signal);
  } finally {
    client.close();
  }
}
