import { describe } from 'vitest';
import { startModbusSimulator } from '../../simulators/modbus/index.js';
import { describeDriverConformance } from '../../test-utils/conformance.js';
import { openPtyPair, socatAvailable } from '../../test-utils/pty.js';
import type { DriverFactory } from '../types.js';
import { modbusDriverFactory } from './driver.js';
import { describeFaultReadings } from './test-utils/faults.js';
import { modbusDevice, modbusDriver } from './test-utils/setup.js';

const rtuOptions = (path: string, profile: string) => ({ transport: 'rtu', path, profile, timeoutMs: 300 });

describe.skipIf(!socatAvailable())('modbus RTU over a socat pty pair', () => {
  describeDriverConformance('modbus over RTU', {
    factory: modbusDriverFactory() as DriverFactory,
    async start() {
      const pty = await openPtyPair();
      const sim = await startModbusSimulator({ transport: 'rtu', path: pty.b }, { profile: 'xy-md02' });
      return {
        device: modbusDevice('sensor-1', rtuOptions(pty.a, 'xy-md02')),
        silence: () => Promise.resolve(sim.inject({ kind: 'silent' })),
        cleanup: async () => {
          await sim.close();
          await pty.close();
        },
      };
    },
  });

  describeFaultReadings('modbus over RTU', async (profile) => {
    const pty = await openPtyPair();
    const sim = await startModbusSimulator({ transport: 'rtu', path: pty.b, baudRate: 19200 }, { profile });
    const driver = modbusDriver(modbusDevice('dev-1', { ...rtuOptions(pty.a, profile), baudRate: 19200 }));
    return {
      driver,
      sim,
      cleanup: async () => {
        await sim.close();
        await pty.close();
      },
    };
  });
});
