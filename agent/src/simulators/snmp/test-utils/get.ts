/** A bare net-snmp GET for simulator tests: what any manager would see on the wire. */
import { netSnmp, type NetSnmpSession, type NetSnmpVarbind } from '../../../drivers/snmp/net-snmp.js';

export interface GetOptions {
  community?: string;
  /** SNMPv3 authPriv user (SHA, AES) instead of a community. */
  user?: { name: string; authKey: string; privKey: string };
  timeoutMs?: number;
}

export function snmpGet(port: number, oids: string[], o: GetOptions = {}): Promise<NetSnmpVarbind[]> {
  const common = { port, timeout: o.timeoutMs ?? 1000, retries: 0 };
  const session: NetSnmpSession = o.user
    ? netSnmp.createV3Session(
        '127.0.0.1',
        {
          name: o.user.name,
          level: netSnmp.SecurityLevel.authPriv,
          authProtocol: netSnmp.AuthProtocols.sha ?? 0,
          authKey: o.user.authKey,
          privProtocol: netSnmp.PrivProtocols.aes ?? 0,
          privKey: o.user.privKey,
        },
        common,
      )
    : netSnmp.createSession('127.0.0.1', o.community ?? 'public', { ...common, version: netSnmp.Version2c });
  session.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    session.get(oids, (err, varbinds) => {
      session.close();
      if (err) reject(err);
      else resolve(varbinds ?? []);
    });
  });
}

/** Just the values, in order. */
export async function snmpValues(port: number, oids: string[], o: GetOptions = {}): Promise<unknown[]> {
  return (await snmpGet(port, oids, o)).map((vb) => (Buffer.isBuffer(vb.value) && vb.type === netSnmp.ObjectType.OctetString ? vb.value.toString('utf8') : vb.value));
}
