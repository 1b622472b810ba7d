import { describe, expect, it } from 'vitest';
import { ALL_BOARDS, ALL_PORTS, DEVICE_TYPE } from '../frame.js';
import { readRequest, readResponse } from '../messages.js';
import { MONITORING_BASE, MONITORING_BLOCK_LENGTH } from '../monitoring.js';
import { REGISTERS } from '../registers.js';
import { createControllerModel } from './model.js';
import { NovaStarSimulator } from './simulator.js';
import { RELAY_BASE } from './targets.js';
import { read, readValue, write } from './test-utils/ask.js';

const { sendingCard, receivingCard, functionCard } = DEVICE_TYPE;
const FULL = { global: 0xff, red: 0xff, green: 0xff, blue: 0xff, virtualRed: 0xff };

function newSim(options: Parameters<typeof createControllerModel>[0] = {}): NovaStarSimulator {
  return new NovaStarSimulator({ model: createControllerModel({ ports: 2, cardsPerPort: 4, ...options }) });
}

describe('NovaStarSimulator addressing', () => {
  it('answers nothing to a request for another controller in the daisy chain', () => {
    const request = readRequest({ serial: 1, destination: 1, deviceType: sendingCard, port: 0, board: 0, address: 2, length: 2 });
    expect(newSim().handle(request)).toEqual([]);
    expect(newSim({ index: 1 }).handle(request)).toHaveLength(1);
  });

  it('answers nothing to a response frame', () => {
    const request = readRequest({ serial: 1, destination: 0, deviceType: sendingCard, port: 0, board: 0, address: 2, length: 2 });
    expect(newSim().handle(readResponse(request, Uint8Array.of(7, 0x11)))).toEqual([]);
  });

  it('answers a request to all sending cards with its own index as the source', () => {
    const request = readRequest({ serial: 1, destination: 0xff, deviceType: sendingCard, port: 0, board: 0, address: 2, length: 2 });
    const [answer] = newSim({ index: 3 }).handle(request);
    expect(answer).toMatchObject({ ack: 0, source: 3, destination: 0xfe });
  });

  it('answers a card beyond the model, a port beyond it and a card marked absent with ack 1', () => {
    const sim = newSim();
    const card = sim.model.cards[1]?.[3];
    if (card) card.present = false;
    for (const at of [{ port: 0, board: 4 }, { port: 2, board: 0 }, { port: 1, board: 3 }]) {
      expect(read(sim, receivingCard, MONITORING_BASE, MONITORING_BLOCK_LENGTH, at)).toMatchObject({ ack: 1, length: 0 });
    }
    expect(read(sim, receivingCard, MONITORING_BASE, 2, { port: 1, board: 2 }).ack).toBe(0);
  });

  it('answers a read addressed to all cards, one over 256 bytes and an unknown deviceType with ack 4', () => {
    const sim = newSim();
    expect(read(sim, receivingCard, MONITORING_BASE, 2, { port: ALL_PORTS, board: 0 }).ack).toBe(4);
    expect(read(sim, receivingCard, MONITORING_BASE, 2, { port: 0, board: ALL_BOARDS }).ack).toBe(4);
    expect(read(sim, receivingCard, MONITORING_BASE, 257).ack).toBe(4);
    expect(read(sim, 3, 0, 2).ack).toBe(4);
  });

  it('answers function-card reads with ack 1 when no function card is fitted', () => {
    const sim = newSim({ functionCard: { present: false } });
    expect(read(sim, functionCard, REGISTERS.functionCardModel.address, 2).ack).toBe(1);
  });
});

describe('NovaStarSimulator reads', () => {
  it('serves the identity registers from the model', () => {
    const sim = newSim({ sendingCard: { serial: '0011223344556677', fpgaVersion: '4.5.0.2' } });
    expect(readValue(sim, REGISTERS.sendingCardModel)).toEqual({ id: 0x1107, name: 'MCTRL660 Pro' });
    expect(readValue(sim, REGISTERS.controllerSerial)).toBe('0011223344556677');
    expect(readValue(sim, REGISTERS.sendingCardFpgaVersion)).toBe('4.5.0.2');
    expect(readValue(sim, REGISTERS.receivingCardIdentity, { port: 1, board: 3 })).toEqual({ model: { id: 0x4101, name: null }, fpgaVersion: '4.6.1.0' });
    expect(readValue(sim, REGISTERS.functionCardModel)).toEqual({ id: 0x8101, name: 'MFN300' });
  });

  it('serves the sending-card status registers from the model', () => {
    const sim = newSim();
    expect(readValue(sim, REGISTERS.dviSignal)).toEqual({ signal: true });
    expect(readValue(sim, REGISTERS.inputBitmap)).toEqual({ present: ['DVI1'] });
    expect(readValue(sim, REGISTERS.selectedInput)).toEqual({ code: 0x58, name: 'DVI' });
    expect(readValue(sim, REGISTERS.redundancy).slice(0, 2).map((p) => p.backup)).toEqual([false, false]);
    expect(readValue(sim, REGISTERS.ambientLight)).toEqual({ lux: 400 });
  });

  it('serves the vendor-sized 256-byte monitoring read, zero past the 82 bytes used', () => {
    const answer = read(newSim(), receivingCard, MONITORING_BASE, 256);
    expect(answer.data).toHaveLength(256);
    expect(answer.data.subarray(MONITORING_BLOCK_LENGTH).every((b) => b === 0)).toBe(true);
    expect(REGISTERS.receivingCardMonitoring.decode(answer.data)).toMatchObject({ monitorCard: { present: true, smoke: false } });
  });

  it('serves any slice of the monitoring block as the same bytes a whole read gives', () => {
    const sim = newSim();
    const whole = read(sim, receivingCard, MONITORING_BASE, 256, { port: 1, board: 1 }).data;
    for (const [offset, length] of [[0x03, 1], [0x20, 10], [0x42, 16], [0x50, 40]] as const) {
      const slice = read(sim, receivingCard, MONITORING_BASE + offset, length, { port: 1, board: 1 }).data;
      expect(slice).toEqual(whole.subarray(offset, offset + length));
    }
  });

  it('reads zeros at an address no register covers, and what was written there afterwards', () => {
    const sim = newSim();
    expect(read(sim, sendingCard, 0x03000100, 3).data).toEqual(new Uint8Array(3));
    write(sim, sendingCard, 0x03000101, Uint8Array.of(0xab));
    expect(read(sim, sendingCard, 0x03000100, 3).data).toEqual(Uint8Array.of(0x00, 0xab, 0x00));
  });
});

describe('NovaStarSimulator writes', () => {
  it('sets brightness on every card for a write to all ports and all boards', () => {
    const sim = newSim();
    const answer = write(sim, receivingCard, REGISTERS.brightness.address, Uint8Array.of(0x80, 0x00, 0x80, 0x80, 0x80), { port: ALL_PORTS, board: ALL_BOARDS });
    expect(answer).toMatchObject({ ack: 0, length: 0 });
    const expected = { global: 0x80, red: 0x00, green: 0x80, blue: 0x80, virtualRed: 0x80 };
    for (const at of [{ port: 0, board: 0 }, { port: 1, board: 3 }]) expect(readValue(sim, REGISTERS.brightness, at)).toEqual(expected);
  });

  it('sets brightness only on the addressed port for a write to all boards of one port', () => {
    const sim = newSim();
    write(sim, receivingCard, REGISTERS.brightness.address, Uint8Array.of(0x40, 0x40, 0x40, 0x40, 0x40), { port: 0, board: ALL_BOARDS });
    expect(readValue(sim, REGISTERS.brightness, { port: 0, board: 3 }).global).toBe(0x40);
    expect(readValue(sim, REGISTERS.brightness, { port: 1, board: 0 })).toEqual(FULL);
  });

  it('changes only the global brightness for a 1-byte write', () => {
    const sim = newSim();
    write(sim, receivingCard, REGISTERS.brightness.address, Uint8Array.of(0x80));
    expect(sim.model.cards[0]?.[0]?.brightness).toEqual({ ...FULL, global: 0x80 });
  });

  it('acks a broadcast write that skips a missing card, and one reaching no card with ack 1', () => {
    const sim = newSim();
    sim.inject({ kind: 'card-missing', port: 1, card: 0 });
    expect(write(sim, receivingCard, REGISTERS.brightness.address, Uint8Array.of(0x10), { port: 1, board: ALL_BOARDS }).ack).toBe(0);
    expect(sim.model.cards[1]?.map((c) => c.brightness.global)).toEqual([0xff, 0x10, 0x10, 0x10]);
    expect(write(sim, receivingCard, REGISTERS.brightness.address, Uint8Array.of(0x10), { port: 17, board: 564 }).ack).toBe(1);
  });

  it('switches the selected input', () => {
    const sim = newSim();
    write(sim, sendingCard, REGISTERS.selectedInput.address, Uint8Array.of(0x05));
    expect(readValue(sim, REGISTERS.selectedInput)).toEqual({ code: 0x05, name: 'HDMI' });
  });

  it('sets the function-card relays addressed to the sending card or the function card', () => {
    const sim = newSim();
    write(sim, sendingCard, RELAY_BASE, Uint8Array.of(0x00));
    write(sim, functionCard, RELAY_BASE + 7, Uint8Array.of(0x00));
    expect(sim.model.functionCard.relays).toEqual([0, 1, 1, 1, 1, 1, 1, 0]);
    expect(read(sim, functionCard, RELAY_BASE, 8).data).toEqual(Uint8Array.of(0, 1, 1, 1, 1, 1, 1, 0));
  });

  it('acks a write to a status register and leaves the reading alone', () => {
    const sim = newSim();
    expect(write(sim, sendingCard, REGISTERS.dviSignal.address, Uint8Array.of(0x00)).ack).toBe(0);
    expect(write(sim, receivingCard, MONITORING_BASE, Uint8Array.of(0x80, 0x00)).ack).toBe(0);
    expect(readValue(sim, REGISTERS.dviSignal)).toEqual({ signal: true });
    expect(readValue(sim, REGISTERS.receivingCardMonitoring, {}, 2).temperatureC).toBe(35);
  });
});
