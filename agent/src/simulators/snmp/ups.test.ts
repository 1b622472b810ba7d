import { afterEach, describe, expect, it } from 'vitest';
import { startUpsSimulator, type UpsSimulator } from './ups.js';
import { snmpGet, snmpValues } from './test-utils/get.js';

const U = '1.3.6.1.2.1.33.1';
const STATUS = [`${U}.2.1.0`, `${U}.2.2.0`, `${U}.2.4.0`, `${U}.4.1.0`, `${U}.3.3.1.3.1`, `${U}.6.1.0`];
const USER = { name: 'monitor', authKey: 'auth-secret-1', privKey: 'priv-secret-1' };

const sims: UpsSimulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});
async function start(options: Parameters<typeof startUpsSimulator>[0] = {}): Promise<UpsSimulator> {
  const sim = await startUpsSimulator(options);
  sims.push(sim);
  return sim;
}

describe('UPS simulator', () => {
  it('serves the UPS-MIB identity, battery, input and output over v2c', async () => {
    const ups = await start();
    expect(await snmpValues(ups.port, [`${U}.1.1.0`, `${U}.1.2.0`, ...STATUS])).toEqual(['ledwatch', 'SimUPS 3000', 2, 0, 100, 3, 230, 0]);
  });

  it('picks its own free loopback port for each simulator', async () => {
    const [a, b] = [await start(), await start()];
    expect(a.port).not.toBe(b.port);
    expect(a.port).not.toBe(161);
    expect(a.host).toBe('127.0.0.1');
  });

  it('shows an injected power cut on the wire and recovers when it is cleared', async () => {
    const ups = await start();
    ups.inject({ kind: 'ups-on-battery' });
    expect(await snmpValues(ups.port, STATUS)).toEqual([2, 0, 100, 5, 0, 1]);
    ups.clear('ups-on-battery');
    expect(await snmpValues(ups.port, STATUS)).toEqual([2, 0, 100, 3, 230, 0]);
  });

  it('keeps counting seconds on battery between requests', async () => {
    let clock = 1_750_000_000_000;
    const ups = await start({ now: () => clock });
    ups.inject({ kind: 'ups-on-battery' });
    clock += 5_000;
    const [first] = await snmpValues(ups.port, [`${U}.2.2.0`]);
    clock += 7_000;
    const [second] = await snmpValues(ups.port, [`${U}.2.2.0`]);
    expect([first, second]).toEqual([5, 12]);
  });

  it('stops answering while silent and answers again once cleared', async () => {
    const ups = await start();
    ups.inject({ kind: 'ups-silent' });
    await expect(snmpGet(ups.port, STATUS, { timeoutMs: 150 })).rejects.toThrow(/timed out/);
    ups.clear();
    await expect(snmpValues(ups.port, [`${U}.2.1.0`])).resolves.toEqual([2]);
  });

  it('ignores a wrong community, as a real agent does', async () => {
    const ups = await start({ community: 'site-ro' });
    await expect(snmpGet(ups.port, STATUS, { community: 'public', timeoutMs: 150 })).rejects.toThrow(/timed out/);
    await expect(snmpValues(ups.port, [`${U}.2.1.0`], { community: 'site-ro' })).resolves.toEqual([2]);
  });

  it('answers an SNMPv3 user with authentication and privacy, and ignores a wrong key', async () => {
    const ups = await start({ users: [USER] });
    await expect(snmpValues(ups.port, [`${U}.2.4.0`], { user: USER })).resolves.toEqual([100]);
    await expect(snmpGet(ups.port, [`${U}.2.4.0`], { user: { ...USER, authKey: 'wrong-auth-key' }, timeoutMs: 150 })).rejects.toThrow(/timed out/);
  });

  it('takes new base values at run time and closes idempotently', async () => {
    const ups = await start();
    ups.set({ upsEstimatedChargeRemaining: 80, upsBatteryTemperature: 41 });
    expect(await snmpValues(ups.port, [`${U}.2.4.0`, `${U}.2.7.0`])).toEqual([80, 41]);
    await ups.close();
    await expect(ups.close()).resolves.toBeUndefined();
  });
});
