/**
 * Modbus PDUs (function code + data), the part shared by RTU and TCP framing. Requests
 * and responses for reading coils, discrete inputs, holding and input registers, and for
 * writing one or several holding registers. Register values are u16; addresses 0-based
 * as on the wire (register "40001" in vendor sheets is holding address 0).
 *
 *   read request (01 02 03 04)   fc | address u16 BE | quantity u16 BE
 *   read response (01 02)        fc | byte count | bits, LSB of the first byte = first bit
 *   read response (03 04)        fc | byte count | registers u16 BE
 *   write single (06)            fc | address | value         (the response echoes it)
 *   write multiple (16) request  fc | address | quantity | byte count | registers
 *   write multiple (16) response fc | address | quantity
 *   exception response           fc | 0x80, exception code
 */
export const FUNCTION_CODE = {
  readCoils: 1,
  readDiscreteInputs: 2,
  readHoldingRegisters: 3,
  readInputRegisters: 4,
  writeSingleRegister: 6,
  writeMultipleRegisters: 16,
} as const;

/** The four data tables a device exposes, as named in profiles. */
export type RegisterFunction = 'coil' | 'discrete' | 'holding' | 'input';

export const READ_FUNCTION_CODE = { coil: 1, discrete: 2, holding: 3, input: 4 } as const satisfies Record<RegisterFunction, number>;

/** Largest quantities one request may carry (Modbus application protocol v1.1b3). */
export const LIMITS = { readBits: 2000, readRegisters: 125, writeRegisters: 123 } as const;

export interface ReadBitsRequest { readonly fc: 1 | 2; readonly address: number; readonly quantity: number }
export interface ReadRegistersRequest { readonly fc: 3 | 4; readonly address: number; readonly quantity: number }
export interface WriteSingleRegisterRequest { readonly fc: 6; readonly address: number; readonly value: number }
export interface WriteMultipleRegistersRequest { readonly fc: 16; readonly address: number; readonly values: readonly number[] }
export type ModbusRequest = ReadBitsRequest | ReadRegistersRequest | WriteSingleRegisterRequest | WriteMultipleRegistersRequest;

/** Bits come back padded to whole bytes unless the request is known (then trimmed to its quantity). */
export interface ReadBitsResponse { readonly fc: 1 | 2; readonly bits: readonly boolean[] }
export interface ReadRegistersResponse { readonly fc: 3 | 4; readonly registers: readonly number[] }
export interface WriteSingleRegisterResponse { readonly fc: 6; readonly address: number; readonly value: number }
export interface WriteMultipleRegistersResponse { readonly fc: 16; readonly address: number; readonly quantity: number }
export type ModbusResponse = ReadBitsResponse | ReadRegistersResponse | WriteSingleRegisterResponse | WriteMultipleRegistersResponse;

/** What a server sends when it cannot serve a request; `fc` is the request's function. */
export interface ModbusExceptionResponse { readonly fc: number; readonly exception: number }

export function isExceptionResponse(r: ModbusResponse | ModbusExceptionResponse): r is ModbusExceptionResponse {
  return 'exception' in r;
}

export function isReadFunction(fc: number): fc is 1 | 2 | 3 | 4 {
  return fc >= 1 && fc <= 4;
}

export function isSupportedFunction(fc: number): fc is ModbusRequest['fc'] {
  return isReadFunction(fc) || fc === 6 || fc === 16;
}
