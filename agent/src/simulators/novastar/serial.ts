/**
 * A simulated NovaStar controller on a serial port: opens the simulator's end of a link
 * (in tests, one side of a socat pty pair) and answers what arrives. A serial link has
 * one client by nature, so there is no lock here.
 */
import { novastar } from '@ledwatch/protocols';
import { SerialPort } from 'serialport';

export interface NovaStarSerialSimulatorOptions {
  readonly path: string;
  readonly sim?: novastar.NovaStarSimulator;
  /** Default 115200; a pty ignores it. */
  readonly baudRate?: number;
  /** When given, the simulator's drift clock follows it (live demo charts move); tests leave it out. */
  readonly clock?: () => number;
}

export interface NovaStarSerialSimulator {
  readonly path: string;
  readonly sim: novastar.NovaStarSimulator;
  /** While true, requests are read and dropped. */
  muted: boolean;
  /** Closes the port; idempotent. */
  close(): Promise<void>;
}

export async function startNovaStarSerialSimulator(options: NovaStarSerialSimulatorOptions): Promise<NovaStarSerialSimulator> {
  const sim = options.sim ?? new novastar.NovaStarSimulator();
  const port = new SerialPort({ path: options.path, baudRate: options.baudRate ?? 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  port.on('error', () => undefined); // the driver side went away; 'close' follows
  const api: NovaStarSerialSimulator = {
    path: options.path,
    sim,
    muted: false,
    close: () => (port.isOpen ? new Promise<void>((resolve) => port.close(() => resolve())) : Promise.resolve()),
  };
  port.on('data', (chunk: Buffer) => {
    if (api.muted) return;
    if (options.clock !== undefined) sim.tick(options.clock());
    const answer = sim.handleBytes(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    if (answer.length > 0) port.write(Buffer.from(answer));
  });
  return api;
}
