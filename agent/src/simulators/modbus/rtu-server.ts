/**
 * Modbus RTU on a serial port (a pty in tests) for simulated devices: one port, any number
 * of unit ids, like an RS-485 bus. Requests are framed by function code, answered with
 * protocols' `answerRequest`, and encoded with its RTU codec.
 *
 * Why not modbus-serial's `ServerSerial`: it overwrites the CRC of what it receives
 * instead of checking it (a simulator should ignore corrupt frames, as devices do), splits
 * frames on a 30 ms timer rather than by their length, and prints errors to the console.
 * The TCP side does use `ServerTCP`.
 *
 * A request to a unit id nobody here holds, or to a silent device, gets no answer (on a
 * bus, some other device answers or none does). A well-framed request with a bad quantity
 * gets exception 3, like a real device.
 */
import { modbus } from '@ledwatch/protocols';
import { SerialPort } from 'serialport';
import type { SimulatedModbusDevice } from './device.js';
import { RtuRequestFramer } from './rtu-framer.js';

export interface RtuServerOptions {
  path: string;
  baudRate?: number;
}

export interface RunningServer {
  close(): Promise<void>;
}

export async function serveRtu(devices: ReadonlyMap<number, SimulatedModbusDevice>, opts: RtuServerOptions): Promise<RunningServer> {
  const port = new SerialPort({ path: opts.path, baudRate: opts.baudRate ?? 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const framer = new RtuRequestFramer();
  port.on('data', (chunk: Buffer) => {
    for (const frame of framer.push(chunk, Date.now())) {
      const answer = answerFrame(frame, devices);
      if (answer !== undefined) port.write(Buffer.from(answer));
    }
  });
  port.on('error', () => undefined); // the pty's other end went away; close() still works
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}

/** The response frame to one request frame, or undefined when nobody answers. */
export function answerFrame(frame: Uint8Array, devices: ReadonlyMap<number, SimulatedModbusDevice>): Uint8Array | undefined {
  const unitId = frame[0] ?? 0;
  const device = devices.get(unitId);
  if (device === undefined || device.silent) return undefined;
  let request: modbus.ModbusRequest;
  try {
    request = modbus.decodeRequest(frame).request;
  } catch (err) {
    if (!(err instanceof modbus.ModbusError) || !['bad-length', 'bad-field'].includes(err.code)) return undefined;
    return modbus.encodeResponse(unitId, { fc: frame[1] ?? 0, exception: modbus.EXCEPTION_CODE.illegalDataValue });
  }
  return modbus.encodeResponse(unitId, modbus.answerRequest(request, device.read));
}
