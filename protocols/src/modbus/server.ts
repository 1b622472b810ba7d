/**
 * The server side of a request, for simulators: what a device holding these registers
 * answers. Pure; the simulator owns the registers and the socket or serial port.
 *
 * A read covering any unmapped address, or a write to one, answers exception 2
 * (illegal data address), as real devices do; a write without a writer answers
 * exception 1 (illegal function).
 */
import type { RegisterReader } from './decode.js';
import type { ModbusExceptionResponse, ModbusRequest, ModbusResponse } from './pdu.js';

export const EXCEPTION_CODE = { illegalFunction: 1, illegalDataAddress: 2, illegalDataValue: 3, serverDeviceFailure: 4 } as const;

/** Stores one holding register; returns false when the address is not writable. */
export type RegisterWriter = (address: number, value: number) => boolean;

export function answerRequest(request: ModbusRequest, read: RegisterReader, write?: RegisterWriter): ModbusResponse | ModbusExceptionResponse {
  const fail = (exception: number): ModbusExceptionResponse => ({ fc: request.fc, exception });
  switch (request.fc) {
    case 1:
    case 2:
    case 3:
    case 4: {
      const fn = (['coil', 'discrete', 'holding', 'input'] as const)[request.fc - 1];
      const values: number[] = [];
      for (let i = 0; i < request.quantity; i++) {
        const v = fn === undefined ? undefined : read(fn, request.address + i);
        if (v === undefined) return fail(EXCEPTION_CODE.illegalDataAddress);
        values.push(v);
      }
      return request.fc === 1 || request.fc === 2
        ? { fc: request.fc, bits: values.map((v) => v !== 0) }
        : { fc: request.fc, registers: values };
    }
    case 6:
    case 16: {
      if (write === undefined) return fail(EXCEPTION_CODE.illegalFunction);
      const values = request.fc === 6 ? [request.value] : request.values;
      if (values.some((_, i) => read('holding', request.address + i) === undefined)) return fail(EXCEPTION_CODE.illegalDataAddress);
      if (!values.every((v, i) => write(request.address + i, v))) return fail(EXCEPTION_CODE.illegalDataAddress);
      return request.fc === 6
        ? { fc: 6, address: request.address, value: request.value }
        : { fc: 16, address: request.address, quantity: request.values.length };
    }
  }
}
