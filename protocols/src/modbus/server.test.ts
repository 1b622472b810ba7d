import { describe, expect, it } from 'vitest';
import { appendCrc } from './crc.js';
import { decodeProfileValues, readerFromBlocks, type RegisterReader } from './decode.js';
import type { ModbusRequest } from './pdu.js';
import { planReads } from './plan.js';
import { shippedProfile } from './profiles.js';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './rtu.js';
import { answerRequest } from './server.js';
import { codeOf, errorOf } from './test-utils/errors.js';

/** A device with input registers 0..6 and holding registers 10..11. */
function device(): { read: RegisterReader; holding: Map<number, number> } {
  const input = [498, 3712, 751, 2301, 0b0001, 0, 12];
  const holding = new Map([
    [10, 500],
    [11, 1],
  ]);
  const read: RegisterReader = (fn, address) => (fn === 'input' ? input[address] : fn === 'holding' ? holding.get(address) : fn === 'coil' ? (address < 2 ? 1 : undefined) : undefined);
  return { read, holding };
}

describe('answerRequest', () => {
  it('answers a register read with the stored values', () => {
    expect(answerRequest({ fc: 4, address: 1, quantity: 2 }, device().read)).toEqual({ fc: 4, registers: [3712, 751] });
  });

  it('answers a coil read with booleans', () => {
    expect(answerRequest({ fc: 1, address: 0, quantity: 2 }, device().read)).toEqual({ fc: 1, bits: [true, true] });
  });

  it('answers exception 2 when a read touches an unmapped address', () => {
    expect(answerRequest({ fc: 4, address: 5, quantity: 3 }, device().read)).toEqual({ fc: 4, exception: 2 });
    expect(answerRequest({ fc: 2, address: 0, quantity: 1 }, device().read)).toEqual({ fc: 2, exception: 2 });
  });

  it('stores writes through the writer and echoes them', () => {
    const { read, holding } = device();
    const write = (address: number, value: number) => (holding.has(address) ? (holding.set(address, value), true) : false);
    expect(answerRequest({ fc: 6, address: 10, value: 480 }, read, write)).toEqual({ fc: 6, address: 10, value: 480 });
    expect(answerRequest({ fc: 16, address: 10, values: [470, 0] }, read, write)).toEqual({ fc: 16, address: 10, quantity: 2 });
    expect([...holding.values()]).toEqual([470, 0]);
  });

  it('answers exception 2 to a write to an unmapped address, and 1 without a writer', () => {
    const { read } = device();
    expect(answerRequest({ fc: 16, address: 11, values: [1, 2] }, read, () => true)).toEqual({ fc: 16, exception: 2 });
    expect(answerRequest({ fc: 6, address: 10, value: 1 }, read)).toEqual({ fc: 6, exception: 1 });
  });
});

describe('a simulated PSU on an RTU link', () => {
  const profile = shippedProfile('led-psu-generic');

  /** Request bytes → response bytes, as a simulator behind a serial port would do. */
  function simulator(read: RegisterReader): (bytes: Uint8Array) => Uint8Array {
    return (bytes) => {
      const { unitId, request } = decodeRequest(bytes);
      return encodeResponse(unitId, answerRequest(request, read));
    };
  }

  it('serves the planned reads and the profile decodes the answers', () => {
    const link = simulator(device().read);
    const results = planReads(profile).map((block) => {
      const request: ModbusRequest = { fc: 4, address: block.address, quantity: block.quantity };
      const { response } = decodeResponse(link(encodeRequest(1, request)), { unitId: 1, request });
      return { block, values: 'registers' in response ? response.registers : [] };
    });
    expect(decodeProfileValues(profile, readerFromBlocks(results))).toMatchObject({ outputVoltageV: 4.98, fault: true, fanFail: false, runtimeH: 12 });
  });

  it('turns a device without the runtime registers into an exception the client can name', () => {
    const short: RegisterReader = (fn, address) => (address < 5 ? device().read(fn, address) : undefined);
    const request: ModbusRequest = { fc: 4, address: 0, quantity: 7 };
    const err = errorOf(() => decodeResponse(simulator(short)(encodeRequest(1, request)), { unitId: 1, request }));
    expect(err?.code).toBe('exception');
    expect(err?.exception?.name).toBe('illegal-data-address');
  });

  it('reports a request for an unsupported function by code, so the simulator can answer exception 1', () => {
    const readDeviceId = appendCrc(Uint8Array.of(0x01, 0x2b, 0x0e, 0x01, 0x00)); // function 43/14: read device identification
    expect(codeOf(() => simulator(device().read)(readDeviceId))).toBe('bad-function');
  });
});
