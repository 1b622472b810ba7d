/**
 * One receiving card per poll: its monitoring block (0x0A000000, 82 bytes, or 256 as the
 * vendor tool reads) and its brightness. A card that answers ack 1 is missing — a reading,
 * not a poll error; a timeout means the controller itself stopped answering and fails the
 * poll.
 */
import { novastar } from '@ledwatch/protocols';
import type { NovaStarClient } from './client.js';
import { readIdentity } from './enumerate.js';
import type { CardSlot } from './roster.js';

export type CardPoll =
  | { readonly kind: 'present'; readonly monitoring: novastar.ReceivingCardMonitoring; readonly brightness?: novastar.Brightness }
  | { readonly kind: 'missing' }
  /** The controller refused the read (ack 2..4): state unknown. */
  | { readonly kind: 'refused'; readonly ack: number };

export async function pollCard(client: NovaStarClient, slot: CardSlot, monitoringLength: number, signal: AbortSignal): Promise<CardPoll> {
  const at = { port: slot.port, board: slot.card };
  const block = await client.read({ deviceType: novastar.DEVICE_TYPE.receivingCard, address: novastar.MONITORING_BASE, length: monitoringLength, ...at }, signal);
  if (block.ack === novastar.ACK.timeout) return { kind: 'missing' };
  if (block.ack !== 0) return { kind: 'refused', ack: block.ack };
  const monitoring = novastar.decodeReceivingCardMonitoring(block.data);
  if (slot.identity === undefined) {
    const identity = await readIdentity(client, slot.port, slot.card, signal);
    if (typeof identity !== 'string') slot.identity = identity;
  }
  slot.seen = true;
  const def = novastar.REGISTERS.brightness;
  const bright = await client.read({ deviceType: def.deviceType, address: def.address, length: def.length, ...at }, signal);
  return bright.ack === 0 ? { kind: 'present', monitoring, brightness: def.decode(bright.data) } : { kind: 'present', monitoring };
}
