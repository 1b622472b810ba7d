/** fast-check generators for Modbus requests and responses: anything the wire allows. */
import fc from 'fast-check';
import type { ModbusExceptionResponse, ModbusRequest, ModbusResponse } from '../pdu.js';

const u16 = fc.integer({ min: 0, max: 0xffff });

/** An address and a quantity that together stay within the 64 Ki address space. */
const span = (max: number) =>
  fc.integer({ min: 1, max }).chain((quantity) => fc.record({ quantity: fc.constant(quantity), address: fc.integer({ min: 0, max: 0x10000 - quantity }) }));

export const requestArb: fc.Arbitrary<ModbusRequest> = fc.oneof(
  fc.tuple(fc.constantFrom(1 as const, 2 as const), span(2000)).map(([fc_, s]) => ({ fc: fc_, ...s })),
  fc.tuple(fc.constantFrom(3 as const, 4 as const), span(125)).map(([fc_, s]) => ({ fc: fc_, ...s })),
  fc.record({ fc: fc.constant(6 as const), address: u16, value: u16 }),
  span(123).chain(({ address, quantity }) =>
    fc.array(u16, { minLength: quantity, maxLength: quantity }).map((values) => ({ fc: 16 as const, address, values })),
  ),
);

export const responseArb: fc.Arbitrary<ModbusResponse> = fc.oneof(
  fc.record({ fc: fc.constantFrom(1 as const, 2 as const), bits: fc.array(fc.boolean(), { minLength: 1, maxLength: 2000 }) }),
  fc.record({ fc: fc.constantFrom(3 as const, 4 as const), registers: fc.array(u16, { minLength: 1, maxLength: 125 }) }),
  fc.record({ fc: fc.constant(6 as const), address: u16, value: u16 }),
  fc.record({ fc: fc.constant(16 as const), address: u16, quantity: fc.integer({ min: 1, max: 123 }) }),
);

export const exceptionArb: fc.Arbitrary<ModbusExceptionResponse> = fc.record({
  fc: fc.constantFrom(1, 2, 3, 4, 6, 16),
  exception: fc.integer({ min: 1, max: 0xff }),
});

export const unitIdArb = fc.integer({ min: 0, max: 0xff });
