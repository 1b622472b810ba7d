/**
 * Finds the receiving cards on each port by reading their identity (model id and FPGA
 * version): ack 0 is a card, ack 1 is "no card here". On a port the scan goes past the
 * last known card until `stopAfterMissing` positions in a row have no card; known cards
 * are not read again (their versions are re-read when due). An invalid-command answer
 * (ack 4) means the port does not exist and ends that port's scan.
 */
import { novastar } from '@ledwatch/protocols';
import { nackError, type NovaStarClient } from './client.js';
import type { CardRoster } from './roster.js';

export interface EnumerateOptions {
  readonly ports: number;
  readonly maxCardsPerPort: number;
  readonly stopAfterMissing: number;
}

const IDENTITY = novastar.REGISTERS.receivingCardIdentity;

export async function enumerateCards(client: NovaStarClient, roster: CardRoster, options: EnumerateOptions, signal: AbortSignal): Promise<void> {
  for (let port = 0; port < options.ports; port++) {
    const last = roster.lastCard(port);
    let holes: number[] = [];
    for (let card = 0; card < options.maxCardsPerPort; card++) {
      if (roster.get(port, card) !== undefined) {
        holes = [];
        continue;
      }
      const answer = await readIdentity(client, port, card, signal);
      if (answer === 'no-port') break;
      if (answer === 'no-card') {
        holes.push(card);
        if (card > last && holes.length >= options.stopAfterMissing) break;
        continue;
      }
      for (const hole of holes) roster.add(port, hole);
      holes = [];
      const slot = roster.add(port, card);
      slot.identity = answer;
      slot.seen = true;
    }
  }
}

/** A card's identity, or why there is none. */
export async function readIdentity(
  client: NovaStarClient,
  port: number,
  card: number,
  signal: AbortSignal,
): Promise<novastar.ReceivingCardIdentity | 'no-card' | 'no-port'> {
  const response = await client.read({ deviceType: IDENTITY.deviceType, address: IDENTITY.address, length: IDENTITY.length, port, board: card }, signal);
  if (response.ack === novastar.ACK.timeout) return 'no-card';
  if (response.ack === novastar.ACK.invalidCommand) return 'no-port';
  if (response.ack !== 0) throw nackError(response);
  return IDENTITY.decode(response.data);
}
