import { novastar } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { AgentError } from '../../errors.js';
import { silentLogger } from '../../log.js';
import { FakeTransport } from '../../transport/test-utils/fake-transport.js';
import { probeBaud } from './baud.js';

/**
 * A serial line to a controller that talks at `deviceBaud`: at any other rate the
 * controller sees garbage and the driver gets garbage back, as on a real wrong-baud link.
 */
function serialLine(deviceBaud: number | undefined) {
  const sim = new novastar.NovaStarSimulator();
  const opened: number[] = [];
  const open = (baudRate: number): FakeTransport => {
    opened.push(baudRate);
    return new FakeTransport({
      description: `fake serial @ ${baudRate}`,
      respond: (bytes) => (baudRate === deviceBaud ? sim.handleBytes(bytes) : Uint8Array.of(0x00, 0xf8, 0x80, 0x00)),
    });
  };
  return { open, opened };
}

const client = { log: silentLogger(), timeoutMs: 50 };

describe('serial baud auto-probe', () => {
  it('finds a controller that answers only at 115200 after trying 1048576 first', async () => {
    const line = serialLine(115_200);
    const found = await probeBaud({ open: line.open, client, signal: AbortSignal.timeout(5000) });
    expect(found.baudRate).toBe(115_200);
    expect(found.modelId).toBe(0x1107);
    expect(line.opened).toEqual([1_048_576, 115_200]);
    expect(found.client.transport.isOpen).toBe(true);
  });

  it('stops at the first rate that answers', async () => {
    const line = serialLine(1_048_576);
    const found = await probeBaud({ open: line.open, client, signal: AbortSignal.timeout(5000) });
    expect(found.baudRate).toBe(1_048_576);
    expect(line.opened).toEqual([1_048_576]);
  });

  it('tries the rates in the order given', async () => {
    const line = serialLine(1_048_576);
    await probeBaud({ open: line.open, baudRates: [115_200, 1_048_576], client, signal: AbortSignal.timeout(5000) });
    expect(line.opened).toEqual([115_200, 1_048_576]);
  });

  it('fails with novastar-no-answer naming both rates when nothing answers', async () => {
    const line = serialLine(undefined);
    const err = await probeBaud({ open: line.open, client, where: '/dev/ttyUSB0', signal: AbortSignal.timeout(5000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({ code: 'novastar-no-answer', message: 'no answer at 115200 or 1048576 baud on /dev/ttyUSB0: check cable/port/baud' });
  });

  it('gives up at once when the port cannot be opened at all', async () => {
    const opened: number[] = [];
    const open = (baudRate: number): FakeTransport => {
      opened.push(baudRate);
      return new FakeTransport({ openError: new AgentError('transport-open', 'cannot open /dev/ttyUSB9: no such file') });
    };
    await expect(probeBaud({ open, client, signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({ code: 'transport-open' });
    expect(opened).toEqual([1_048_576]);
  });
});
