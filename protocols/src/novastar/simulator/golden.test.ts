import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes.js';
import { encodeFrame, type NovaStarFrame } from '../frame.js';
import { readRequest } from '../messages.js';
import { loadGoldenFrames, type GoldenFrame } from '../test-utils/golden.js';
import { goldenModel } from './golden.js';
import type { ControllerModel } from './model.js';
import { NovaStarSimulator } from './simulator.js';

const golden = loadGoldenFrames();
const requests = golden.filter((g) => g.frame.head === 'request' && g.checksumOk);
const responses = golden.filter((g) => g.frame.head === 'response');

/** A response answers a request when they share serial, deviceType, port, board, direction and address (and length, for reads). */
function answers(request: NovaStarFrame, response: NovaStarFrame): boolean {
  return (
    request.serial === response.serial &&
    request.deviceType === response.deviceType &&
    request.port === response.port &&
    request.board === response.board &&
    request.direction === response.direction &&
    request.address === response.address &&
    (request.direction === 'write' || request.length === response.length)
  );
}

const pairs = requests.flatMap((request) =>
  responses.filter((response) => answers(request.frame, response.frame)).map((response) => ({ request, response })),
);

/** The examples that answer the same request differently: the model each needs besides goldenModel(). */
const VARIANTS: Readonly<Record<string, (model: ControllerModel) => void>> = {
  'M3 3.1.2 ack no DVI': (m) => (m.sendingCard.dviSignal = false),
  'M3 3.18 ack nothing': (m) => (m.sendingCard.inputs = []),
  'M3 3.18 ack HDMI': (m) => (m.sendingCard.inputs = ['HDMI']),
  'M3 3.14 ack reconnect': (m) => (m.sendingCard.modelId = 0x0001), // an MCTRL300
};

function simulatorFor(response: GoldenFrame): NovaStarSimulator {
  const model = goldenModel();
  VARIANTS[response.label]?.(model);
  return new NovaStarSimulator({ model });
}

describe('golden conformance', () => {
  it('pairs 29 golden requests and responses, leaving only the gamma answer without its request', () => {
    expect(pairs).toHaveLength(29);
    const unpaired = responses.filter((r) => !pairs.some((p) => p.response === r));
    expect(unpaired.map((r) => r.label)).toEqual(['M3 3.5.1 ack gamma 1C']);
  });

  it.each(pairs.map(({ request, response }) => [request.label, response.label, request, response] as const))(
    'answers "%s" with "%s" byte for byte',
    (_req, _resp, request, response) => {
      const sim = simulatorFor(response);
      expect(toHex(sim.handleBytes(request.bytes))).toBe(response.hex);
    },
  );

  it('answers a read rebuilt from each golden read response that has no golden request', () => {
    const orphans = responses.filter((r) => r.frame.direction === 'read' && !pairs.some((p) => p.response === r));
    expect(orphans.map((r) => r.label)).toEqual(['M3 3.5.1 ack gamma 1C']);
    for (const orphan of orphans) {
      const { serial, deviceType, port, board, address, length } = orphan.frame;
      const request = readRequest({ serial, destination: orphan.frame.source, deviceType, port, board, address, length });
      expect(toHex(simulatorFor(orphan).handleBytes(encodeFrame(request)))).toBe(orphan.hex);
    }
  });

  it('gives no answer to the golden request whose printed checksum is wrong', () => {
    const bad = golden.filter((g) => g.frame.head === 'request' && !g.checksumOk);
    expect(bad).toHaveLength(1);
    for (const frame of bad) expect(new NovaStarSimulator({ model: goldenModel() }).handleBytes(frame.bytes)).toHaveLength(0);
  });
});
