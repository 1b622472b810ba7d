/**
 * The driver against a real Net-SNMP snmpd (Debian package snmpd) on a loopback port: a
 * peer this project did not write. Skipped with one loud line when snmpd is missing; in
 * CI (CI=true) a missing snmpd fails the run instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable } from '../../../../test/support/services.js';
import { AgentError } from '../../errors.js';
import { pollSignal, snmpDriver } from './test-utils/driver.js';
import { SNMPD_SYS_NAME, SNMPD_USER, startSnmpd, type RunningSnmpd } from './test-utils/snmpd.js';

const v3 = (overrides: Record<string, unknown> = {}) => ({
  version: '3',
  v3: { user: SNMPD_USER.name, level: 'authPriv', authProtocol: 'sha', authKey: SNMPD_USER.authKey, privProtocol: 'aes', privKey: SNMPD_USER.privKey, ...overrides },
});

describe.skipIf(!serviceAvailable('snmpd', 'snmpd'))('snmp driver against a real snmpd', () => {
  let snmpd: RunningSnmpd;
  beforeAll(async () => {
    snmpd = await startSnmpd();
  });
  afterAll(async () => {
    await snmpd?.stop();
  });

  const driver = (options: Record<string, unknown> = {}) => snmpDriver('sw-1', { host: '127.0.0.1', port: snmpd.port, profile: 'if-mib', timeoutMs: 500, ...options });

  it('reads the interfaces of the host, the loopback up, and the system uptime', async () => {
    const d = driver();
    const readings = await d.poll(pollSignal());
    await d.close();
    const lo = readings.find((r) => r.component === 'lo');
    expect(lo).toMatchObject({ device: 'sw-1', state: 'ok', metrics: { operStatus: 'up', adminStatus: 'up', descr: 'lo' } });
    expect(lo?.metrics.inOctets).toBeTypeOf('number');
    expect(readings[0]).toMatchObject({ device: 'sw-1', metrics: { sysName: SNMPD_SYS_NAME } });
    expect(readings[0]?.metrics.uptimeS).toBeGreaterThanOrEqual(0);
    expect(readings[0]?.metrics.interfaces).toBe(readings.length - 1);
  });

  it('names the host from sysName and sysDescr in its inventory', async () => {
    const d = driver();
    const [entry] = await d.inventory();
    await d.close();
    expect(entry).toMatchObject({ id: 'sw-1', kind: 'snmp', name: SNMPD_SYS_NAME, model: expect.stringMatching(/^Linux /) as unknown });
  });

  it('reads over SNMPv3 with SHA authentication and AES privacy', async () => {
    const d = driver(v3());
    const readings = await d.poll(pollSignal());
    await d.close();
    expect(readings.find((r) => r.component === 'lo')?.metrics.operStatus).toBe('up');
  });

  it('rejects a wrong v3 auth key with snmp-auth-failed', async () => {
    const d = driver(v3({ authKey: 'not-the-right-key' }));
    const err = await d.poll(pollSignal()).catch((e: unknown) => e);
    await d.close();
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({ code: 'snmp-auth-failed', message: expect.stringMatching(/user "ledwatch" refused/) as unknown });
    expect((err as Error).message).not.toContain('not-the-right-key');
  });

  it('rejects an unknown v3 user with snmp-auth-failed', async () => {
    const d = driver(v3({ user: 'intruder' }));
    await expect(d.poll(pollSignal())).rejects.toMatchObject({ code: 'snmp-auth-failed', message: expect.stringMatching(/Unknown User Name/i) as unknown });
    await d.close();
  });

  it('times out on a wrong v2c community, which snmpd ignores', async () => {
    const d = driver({ community: 'wrong-community', timeoutMs: 100, retries: 0 });
    const err = await d.poll(pollSignal()).catch((e: unknown) => e);
    await d.close();
    expect(err).toMatchObject({ code: 'snmp-timeout' });
    expect((err as Error).message).not.toContain('wrong-community');
  });
});
