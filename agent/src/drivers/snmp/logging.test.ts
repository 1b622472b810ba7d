import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startSwitchSimulator } from '../../simulators/snmp/switch.js';
import { startUpsSimulator } from '../../simulators/snmp/ups.js';
import { pollSignal, snmpDriver } from './test-utils/driver.js';

const COMMUNITY = 'site-community-7f3a';
const USER = { name: 'monitor', authKey: 'auth-key-9c2e', privKey: 'priv-key-4b8d' };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function capture() {
  const lines: string[] = [];
  return { log: pino({ level: 'trace' }, { write: (line: string) => lines.push(line) }), text: () => lines.join('') };
}

describe('snmp driver logging', () => {
  it('logs the OIDs a device lacks once, not on every poll', async () => {
    const sw = await startSwitchSimulator({ community: COMMUNITY });
    open.push(sw);
    const { log, text } = capture();
    const driver = snmpDriver('ups-1', { host: sw.host, port: sw.port, community: COMMUNITY, profile: 'ups-mib' }, { log });
    open.push(driver);
    await driver.poll(pollSignal());
    await driver.poll(pollSignal());
    expect(text().match(/lacks or garbles/g)).toHaveLength(1);
    expect(text()).toContain('missing 1.3.6.1.2.1.33.1.2.1.0');
  });

  it('never writes the community or the v3 keys, even when polls fail', async () => {
    const ups = await startUpsSimulator({ community: COMMUNITY, users: [USER] });
    open.push(ups);
    const { log, text } = capture();
    const v2 = snmpDriver('ups-1', { host: ups.host, port: ups.port, community: COMMUNITY, profile: 'ups-mib', timeoutMs: 50, retries: 0 }, { log });
    const v3 = snmpDriver('ups-2', { host: ups.host, port: ups.port, profile: 'ups-mib', timeoutMs: 50, retries: 0, version: '3', v3: { user: USER.name, level: 'authPriv', authKey: USER.authKey, privKey: USER.privKey } }, { log });
    open.push(v2, v3);
    ups.inject({ kind: 'ups-silent' });
    await expect(v2.inventory()).resolves.toHaveLength(1); // logs why it could not identify the UPS
    await expect(v3.poll(pollSignal())).rejects.toMatchObject({ code: 'snmp-timeout' });
    expect(text()).toContain('device not identified yet');
    for (const secret of [COMMUNITY, USER.authKey, USER.privKey]) expect(text()).not.toContain(secret);
  });
});
