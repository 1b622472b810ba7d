/**
 * Modbus TCP for simulated devices, with modbus-serial's `ServerTCP` and a vector of
 * per-address callbacks. The unit id of each request picks the device, as behind a
 * gateway; an unknown unit answers exception 11 (gateway target failed to respond), a
 * silent device does not answer at all, an unmapped address answers exception 2, and a
 * write answers exception 1 (the simulated devices are read-only).
 *
 * `ServerTCP` treats port 0 as "use 502", so for port 0 a free loopback port is found
 * first and the server started on it (retried if another process takes it meanwhile).
 */
import { createServer } from 'node:net';
import { modbus } from '@ledwatch/protocols';
import modbusSerial, { type IServiceVector } from 'modbus-serial';
import type { SimulatedModbusDevice } from './device.js';
import type { RunningServer } from './rtu-server.js';

export interface TcpServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port, reported back. */
  port?: number;
}

type Callback<T> = (err: Error | null, value: T) => void;

const GATEWAY_TARGET_FAILED = 11;

export async function serveTcp(
  devices: ReadonlyMap<number, SimulatedModbusDevice>,
  opts: TcpServerOptions = {},
): Promise<RunningServer & { port: number }> {
  const host = opts.host ?? '127.0.0.1';
  for (let attempt = 0; ; attempt++) {
    const port = opts.port || (await freePort(host));
    try {
      return await listen(devices, host, port);
    } catch (err) {
      if (opts.port || attempt >= 4 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

function listen(devices: ReadonlyMap<number, SimulatedModbusDevice>, host: string, port: number): Promise<RunningServer & { port: number }> {
  const server = new modbusSerial.ServerTCP(vector(devices), { host, port, unitID: 255 });
  server.on('socketError', () => undefined); // a client that hangs up mid-request
  return new Promise((resolve, reject) => {
    server.on('serverError', reject);
    server.on('initialized', () =>
      resolve({
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

function vector(devices: ReadonlyMap<number, SimulatedModbusDevice>): IServiceVector {
  const reader =
    (fn: modbus.RegisterFunction) =>
    <T>(convert: (raw: number) => T) =>
    (address: number, unitId: number, cb: Callback<T>): void => {
      const device = devices.get(unitId);
      if (device === undefined) return cb(exception(GATEWAY_TARGET_FAILED), convert(0));
      if (device.silent) return; // never answer
      const raw = device.read(fn, address);
      if (raw === undefined) return cb(exception(modbus.EXCEPTION_CODE.illegalDataAddress), convert(0));
      cb(null, convert(raw));
    };
  const word = (raw: number): number => raw;
  const bit = (raw: number): boolean => raw !== 0;
  const refuse = (cb: (err: Error | null) => void): void => cb(exception(modbus.EXCEPTION_CODE.illegalFunction));
  return {
    getHoldingRegister: reader('holding')(word),
    getInputRegister: reader('input')(word),
    getCoil: reader('coil')(bit),
    getDiscreteInput: reader('discrete')(bit),
    setRegister: (_address: number, _value: number, _unitId: number, cb: (err: Error | null) => void) => refuse(cb),
    setCoil: (_address: number, _value: boolean, _unitId: number, cb: (err: Error | null) => void) => refuse(cb),
  };
}

/** An error ServerTCP turns into an exception response with this code. */
function exception(code: number): Error {
  return Object.assign(new Error(`modbus exception ${code}`), { modbusErrorCode: code });
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
