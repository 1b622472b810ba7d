import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { schemaIssues } from '../../schema-issues.js';
import { ModbusOptionsSchema, resolveModbusSetup, type ModbusOptions } from './options.js';
import { modbusDevice, thrownBy } from './test-utils/setup.js';

const device = modbusDevice('dev', {});
const setup = (o: ModbusOptions) => resolveModbusSetup(device, o);

describe('modbus driver options', () => {
  it('takes serial settings and the unit id from the profile when the options leave them out', () => {
    expect(setup({ transport: 'rtu', path: '/dev/ttyUSB0', profile: 'xy-md02' })).toMatchObject({
      endpoint: { transport: 'rtu', path: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 },
      unitId: 1,
      timeoutMs: 1000,
    });
  });

  it('lets the options override the profile and defaults TCP to port 502', () => {
    expect(setup({ transport: 'rtu', path: '/dev/ttyUSB0', profile: 'xy-md02', baudRate: 4800, parity: 'even', unitId: 7 })).toMatchObject({
      endpoint: { baudRate: 4800, parity: 'even' },
      unitId: 7,
    });
    expect(setup({ transport: 'tcp', host: '10.0.0.5', profile: 'eastron-sdm630' }).endpoint).toEqual({ transport: 'tcp', host: '10.0.0.5', port: 502 });
  });

  it('lists every rule between keys that is broken, at once', () => {
    const err = thrownBy(() => setup({ transport: 'tcp', path: '/dev/ttyUSB0', baudRate: 9600 }));
    expect(err.code).toBe('modbus-options');
    expect(err.message.split('\n').slice(1)).toEqual([
      '  - options.host: is required for transport tcp',
      '  - options.path: is not used with transport tcp; remove it',
      '  - options.baudRate: is not used with transport tcp; remove it',
      '  - options.profile: give either profile (a shipped one) or profileFile (a file of your own), not both or neither',
    ]);
  });

  it('refuses unit 0 on RTU, where it is the broadcast address, but takes it on TCP', () => {
    const err = thrownBy(() => setup({ transport: 'rtu', path: '/dev/ttyUSB0', profile: 'xy-md02', unitId: 0 }));
    expect(err.code).toBe('modbus-options');
    expect(err.message).toMatch(/options\.unitId: 0 is the RTU broadcast address/);
    expect(setup({ transport: 'tcp', host: '10.0.0.5', profile: 'xy-md02', unitId: 0 }).unitId).toBe(0);
  });

  it('names the shipped profiles when the profile is unknown', () => {
    const err = thrownBy(() => setup({ transport: 'tcp', host: 'h', profile: 'xy-md03' }));
    expect(err.code).toBe('unknown-profile');
    expect((err as { hint?: string }).hint).toMatch(/xy-md02, led-psu-generic, eastron-sdm630/);
  });

  it('checks each key in the schema at config load, naming it as the config does', () => {
    const keys = schemaIssues(ModbusOptionsSchema, { transport: 'serial', unitId: 300, colour: 1 }, 'devices.2.options', 'see the modbus driver options').map((i) => i.key);
    expect(keys).toEqual(expect.arrayContaining(['devices.2.options.transport', 'devices.2.options.unitId', 'devices.2.options.colour']));
  });

  it('defaults only the timeout in the schema, so profile defaults still apply', () => {
    expect(Value.Default(ModbusOptionsSchema, { transport: 'rtu', path: '/dev/ttyS0', profile: 'xy-md02' })).toEqual({
      transport: 'rtu',
      path: '/dev/ttyS0',
      profile: 'xy-md02',
      timeoutMs: 1000,
    });
  });
});
