/**
 * A controller set up so that it answers the vendor's example requests
 * (shared/reference/novastar-frames.json) with the vendor's example responses byte for
 * byte. Where examples answer the same request differently (DVI ok / no DVI; inputs
 * nothing / HDMI / DVI; model 0x1107 / 0x0001) this model gives the healthy MCTRL660 Pro
 * answer (DVI ok, a DVI input, 0x1107); the conformance test sets the others per case.
 */
import { createControllerModel, type ControllerModel } from './model.js';

/** Registers the codec does not model, preset to the vendor's example values. */
const SENDING_CARD_PRESETS: readonly (readonly [address: number, bytes: readonly number[]])[] = [
  [0x02000022, [0x5a]], // auto/manual input switching: 5A = manual
  [0x02100006, [0x30, 0x01]], // cabinet width 0x0130 = 304 (u16 LE)
  [0x02100008, [0x98, 0x00]], // cabinet height 0x0098 = 152 (u16 LE)
];
const RECEIVING_CARD_PRESETS: readonly (readonly [address: number, bytes: readonly number[]])[] = [
  [0x02000000, [0x1c]], // gamma 0x1C
];

export function goldenModel(): ControllerModel {
  const model = createControllerModel({
    ports: 2,
    cardsPerPort: 4,
    sendingCard: {
      modelId: 0x1107, // "660Pro read ID ack 0x1107"
      fpgaVersion: '4.3.0.0', // "ack ver 4.3.0.0"
      dviSignal: true, // "ack DVI ok"
      inputs: ['DVI1'], // "ack DVI": bitmap 04
      selectedInput: 0x58, // "ack cur input DVI 58"
    },
    functionCard: { present: true, modelId: 0x8101 }, // "ack FC model 8101"
  });
  const card = model.cards[0]?.[0];
  if (card === undefined) throw new Error('golden model has no card 0 on port 0');
  card.modelId = 0x4105; // "ack RC model+ver": 05 41
  card.fpgaVersion = '4.2.0.1'; // then 04 02 00 01
  card.temperatureC = 36; // "ack temp 80 48": valid, 72 × 0.5 °C
  card.voltageV = 4.1; // "ack volt A9": valid, 41 × 0.1 V
  card.brightness = { global: 0xff, red: 0xff, green: 0xff, blue: 0xff, virtualRed: 0xff }; // "ack bright FFx5"
  preset(model.sendingCard.memory, SENDING_CARD_PRESETS);
  preset(card.memory, RECEIVING_CARD_PRESETS);
  return model;
}

function preset(memory: Map<number, number>, presets: typeof SENDING_CARD_PRESETS): void {
  for (const [address, bytes] of presets) bytes.forEach((byte, i) => memory.set(address + i, byte));
}
