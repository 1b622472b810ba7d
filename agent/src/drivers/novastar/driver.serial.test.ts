import { afterEach, describe, expect, it } from 'vitest';
import { startNovaStarSerialSimulator, type NovaStarSerialSimulator } from '../../simulators/novastar/serial.js';
import { describeDriverConformance } from '../../test-utils/conformance.js';
import { openPtyPair, socatAvailable, type PtyPair } from '../../test-utils/pty.js';
import { novastarDriverFactory, type NovaStarDriver } from './driver.js';
import { byDevice, createNovaStarDriver } from './test-utils/harness.js';

const hasSocat = socatAvailable();

describe.skipIf(!hasSocat)('novastar over a serial pty pair', () => {
  describeDriverConformance('novastar over serial', {
    factory: novastarDriverFactory(),
    async start() {
      const pair = await openPtyPair();
      const simulator = await startNovaStarSerialSimulator({ path: pair.b });
      return {
        device: { id: 'ctrl-1', kind: 'novastar', pollIntervalS: 10, options: { transport: 'serial', path: pair.a } },
        silence: () => simulator.close(),
        cleanup: async () => {
          await simulator.close();
          await pair.close();
        },
      };
    },
  });

  describe('novastar driver over serial', () => {
    const open: { pair: PtyPair; simulator: NovaStarSerialSimulator; driver: NovaStarDriver }[] = [];
    afterEach(async () => {
      for (const { pair, simulator, driver } of open.splice(0)) {
        await driver.close();
        await simulator.close();
        await pair.close();
      }
    });
    const setup = async (options: Record<string, unknown> = {}) => {
      const pair = await openPtyPair();
      const simulator = await startNovaStarSerialSimulator({ path: pair.b });
      const driver = createNovaStarDriver({ transport: 'serial', path: pair.a, ...options });
      const rig = { pair, simulator, driver };
      open.push(rig);
      return rig;
    };

    it('reads the controller and its cards at a fixed baud rate', async () => {
      const { driver } = await setup({ baudRate: 115200 });
      const readings = await driver.poll(AbortSignal.timeout(5000));
      expect(readings).toHaveLength(17);
      expect(byDevice(readings, 'ctrl-1').metrics.model).toBe('MCTRL660 Pro');
    });

    it('sees a fault injected while it polls over the serial link', async () => {
      const { driver, simulator } = await setup();
      await driver.poll(AbortSignal.timeout(5000));
      simulator.sim.inject({ kind: 'smoke', port: 1, card: 3 });
      simulator.sim.inject({ kind: 'card-missing', port: 0, card: 2 });
      const readings = await driver.poll(AbortSignal.timeout(5000));
      expect(byDevice(readings, 'ctrl-1/p1/c3')).toMatchObject({ state: 'fault', metrics: { smoke: true } });
      expect(byDevice(readings, 'ctrl-1/p0/c2')).toMatchObject({ state: 'missing', metrics: {} });
    });

    it('fails a poll with novastar-timeout when the controller falls silent', async () => {
      const { driver, simulator } = await setup({ requestTimeoutMs: 200 });
      await driver.poll(AbortSignal.timeout(5000));
      simulator.muted = true;
      await expect(driver.poll(AbortSignal.timeout(5000))).rejects.toMatchObject({ code: 'novastar-timeout' });
    });
  });
});
