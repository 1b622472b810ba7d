/**
 * Serial baud auto-probe. NovaStar sending cards talk at 115200 (MSD300/MCTRL300/MCTRL500)
 * or 1 048 576 baud (MSD600/MCTRL600/MCTRL660), and a wrong baud shows up only as every
 * request timing out. So: open the port at each rate in turn and read the model id (the
 * liveness probe); the first rate that gets an answer wins. A port that cannot be opened
 * at all fails at once — another baud rate would not help.
 */
import { novastar } from '@ledwatch/protocols';
import { AgentError } from '../../errors.js';
import type { Transport } from '../../transport/types.js';
import { NovaStarClient, type NovaStarClientOptions } from './client.js';

/** Faster first: the current MCTRL600/660 family, then the older 115200 models. */
export const NOVASTAR_BAUD_RATES: readonly number[] = [1_048_576, 115_200];

export interface BaudProbeOptions {
  /** A fresh, unopened transport at this baud rate. */
  readonly open: (baudRate: number) => Transport;
  /** Rates to try, in order (default {@link NOVASTAR_BAUD_RATES}). */
  readonly baudRates?: readonly number[];
  /** Everything the client needs besides its transport. */
  readonly client: Omit<NovaStarClientOptions, 'transport'>;
  /** Names the port in the error, e.g. `/dev/ttyUSB0`. */
  readonly where?: string;
  readonly signal: AbortSignal;
}

export interface BaudProbeResult {
  readonly baudRate: number;
  /** Open, at the winning rate. */
  readonly client: NovaStarClient;
  readonly modelId: number;
}

export async function probeBaud(options: BaudProbeOptions): Promise<BaudProbeResult> {
  const rates = options.baudRates ?? NOVASTAR_BAUD_RATES;
  const model = novastar.REGISTERS.sendingCardModel;
  for (const baudRate of rates) {
    const transport = options.open(baudRate);
    await transport.open(options.signal);
    const client = new NovaStarClient({ ...options.client, transport });
    try {
      const response = await client.read({ deviceType: model.deviceType, address: model.address, length: model.length }, options.signal);
      // Any well-formed answer, even a refusal, means the line speaks at this rate.
      const modelId = response.ack === 0 ? model.decode(response.data).id : 0;
      options.client.log.info({ baudRate, modelId }, 'serial baud rate found');
      return { baudRate, client, modelId };
    } catch (err) {
      await client.close();
      if (!(err instanceof AgentError && err.code === 'novastar-timeout')) throw err;
      options.client.log.debug({ baudRate }, 'no answer at this baud rate');
    }
  }
  const listed = [...rates].sort((a, b) => a - b).join(' or ');
  throw new AgentError(
    'novastar-no-answer',
    `no answer at ${listed} baud${options.where === undefined ? '' : ` on ${options.where}`}: check cable/port/baud`,
    'check the serial cable (a straight RS232 cable to the controller, or its USB port), the port path, that the controller is powered, and its daisy-chain index (destination)',
  );
}
