/**
 * modbus-serial's untyped errors → typed ones that say what to check on site. A Modbus
 * exception becomes protocols' `ModbusError` (code `exception`, with the exception's
 * name); the rest become `AgentError`s with the codes in errors.ts.
 */
import { modbus } from '@ledwatch/protocols';
import { AgentError, errorMessage } from '../../errors.js';
import type { BusEndpoint } from './options.js';
import { busKey, describeSerial } from './options.js';

export interface BlockRequest {
  readonly unitId: number;
  readonly block: Pick<modbus.ReadBlock, 'function' | 'address' | 'quantity'>;
  readonly timeoutMs: number;
}

interface ModbusSerialError {
  modbusCode?: unknown;
  errno?: unknown;
  message?: unknown;
}

export function toRequestError(err: unknown, request: BlockRequest, endpoint: BusEndpoint): modbus.ModbusError | AgentError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ModbusSerialError;
  const { unitId, block, timeoutMs } = request;
  const where = `unit ${unitId} on ${busKey(endpoint)}`;
  const what = `${block.function} ${block.address}..${block.address + block.quantity - 1}`;
  if (typeof e.modbusCode === 'number') {
    const code = e.modbusCode;
    const name = modbus.exceptionName(code);
    return new modbus.ModbusError(
      'exception',
      `${where} answered the read of ${what} with exception ${code} (${name})`,
      code === modbus.EXCEPTION_CODE.illegalDataAddress
        ? 'the device has no such register: check the profile against the device manual'
        : 'see the device manual for this exception',
      { exception: { functionCode: modbus.READ_FUNCTION_CODE[block.function], code } },
    );
  }
  if (e.errno === 'ETIMEDOUT') {
    return new AgentError(
      'modbus-timeout',
      `${where} did not answer the read of ${what} within ${timeoutMs} ms`,
      endpoint.transport === 'rtu'
        ? `check the unit id, the A/B wiring, power, and that the device runs at ${describeSerial(endpoint)}`
        : 'check the unit id, and that the device or gateway is up and serves this unit',
    );
  }
  const message = errorMessage(err);
  if (/crc|length/i.test(message)) {
    return new AgentError(
      'modbus-frame',
      `garbled answer from ${where}: ${message}`,
      'a wrong baud rate or parity, two devices with one address, or noise on the line (termination, shielding)',
      { cause: err },
    );
  }
  return new AgentError('transport-closed', `${busKey(endpoint)} failed during a read: ${message}`, 'the connection is reopened on the next poll', { cause: err });
}

/** What to check when a port or socket does not open. */
export function openHint(err: unknown, endpoint: BusEndpoint): string {
  const message = errorMessage(err);
  if (endpoint.transport === 'tcp') {
    if (/ECONNREFUSED/.test(message)) return `nothing listens on ${endpoint.host}:${endpoint.port}: check the device's IP, its Modbus TCP port, and that Modbus TCP is enabled`;
    return `check that ${endpoint.host} is reachable from this PC (network, firewall)`;
  }
  if (/lock/i.test(message)) return `another program (or a second agent) holds ${endpoint.path}: stop it`;
  if (/ENOENT|no such file/i.test(message)) return `there is no ${endpoint.path}: check the USB-RS485 adapter, and prefer a stable /dev/serial/by-id/ path`;
  if (/EACCES|permission/i.test(message)) return `no permission on ${endpoint.path}: add the agent user to the dialout group`;
  return `check ${endpoint.path} and its serial settings (${describeSerial(endpoint)})`;
}
