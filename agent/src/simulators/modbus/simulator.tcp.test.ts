import modbusSerial from 'modbus-serial';
import { afterEach, describe, expect, it } from 'vitest';
import { startModbusBusSimulator, startModbusSimulator } from './simulator.js';

type Client = InstanceType<typeof modbusSerial.default>;

describe('the Modbus TCP simulator on loopback', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function client(port: number | undefined, unitId = 1): Promise<Client> {
    const c = new modbusSerial.default();
    await c.connectTCP('127.0.0.1', { port: port ?? 0 });
    c.setID(unitId);
    c.setTimeout(300);
    cleanups.push(() => new Promise<void>((resolve) => c.destroy(() => resolve())));
    return c;
  }
  const failure = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as { modbusCode?: number; errno?: string });

  it('listens on a free loopback port when asked for port 0, and serves the profile registers', async () => {
    const sim = await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'led-psu-generic' });
    cleanups.push(() => sim.close());
    expect(sim.port).toBeGreaterThan(1024);
    const c = await client(sim.port);
    expect((await c.readInputRegisters(0, 7)).data).toEqual([500, 3120, 380, 2304, 0, 0, 12_840]);
  });

  it('answers an unmapped address with exception 2 and a write with exception 1', async () => {
    const sim = await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'xy-md02' });
    cleanups.push(() => sim.close());
    const c = await client(sim.port);
    expect(await failure(c.readInputRegisters(0, 3))).toMatchObject({ modbusCode: 2 });
    expect(await failure(c.writeRegister(1, 7))).toMatchObject({ modbusCode: 1 });
  });

  it('picks the device by unit id, as a gateway does', async () => {
    const bus = await startModbusBusSimulator({ transport: 'tcp', port: 0 }, [
      { profile: 'xy-md02', unitId: 3 },
      { profile: 'led-psu-generic', unitId: 4 },
    ]);
    cleanups.push(() => bus.close());
    const c = await client(bus.port, 3);
    expect((await c.readInputRegisters(1, 2)).data).toEqual([305, 546]);
    c.setID(4);
    expect((await c.readInputRegisters(0, 1)).data).toEqual([500]);
    c.setID(5);
    expect(await failure(c.readInputRegisters(0, 1))).toMatchObject({ modbusCode: 11 });
  });

  it('does not answer while silent', async () => {
    const sim = await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'xy-md02' });
    cleanups.push(() => sim.close());
    const c = await client(sim.port);
    sim.inject({ kind: 'silent' });
    expect(await failure(c.readInputRegisters(1, 2))).toMatchObject({ errno: 'ETIMEDOUT' });
  });

  it('refuses two devices with one unit id, and frees its port on close', async () => {
    await expect(startModbusBusSimulator({ transport: 'tcp', port: 0 }, [{ profile: 'xy-md02' }, { profile: 'led-psu-generic' }])).rejects.toMatchObject({
      code: 'modbus-simulator',
    });
    const sim = await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'xy-md02' });
    await sim.close();
    const again = await startModbusSimulator({ transport: 'tcp', port: sim.port }, { profile: 'xy-md02' });
    cleanups.push(() => again.close());
    expect(again.port).toBe(sim.port);
  });
});
