/**
 * The receiving cards the driver knows, by (port, card). A slot stays once found: a card
 * that stops answering is reported missing, not forgotten. Positions that answered "no
 * card" below a card that answered are slots too (a hole in the chain is a missing card).
 */
import type { novastar } from '@ledwatch/protocols';

export interface CardSlot {
  readonly port: number;
  /** Position on the port's chain (the frame's board field). */
  readonly card: number;
  /** Model id and FPGA version, once the card has answered an identity read. */
  identity?: novastar.ReceivingCardIdentity;
  /** The card has answered at least once. */
  seen: boolean;
}

export class CardRoster {
  readonly #slots = new Map<string, CardSlot>();

  get(port: number, card: number): CardSlot | undefined {
    return this.#slots.get(key(port, card));
  }

  /** Adds a slot, or returns the one already there. */
  add(port: number, card: number): CardSlot {
    const existing = this.get(port, card);
    if (existing !== undefined) return existing;
    const slot: CardSlot = { port, card, seen: false };
    this.#slots.set(key(port, card), slot);
    return slot;
  }

  /** Every slot, by port then card. */
  slots(): CardSlot[] {
    return [...this.#slots.values()].sort((a, b) => a.port - b.port || a.card - b.card);
  }

  /** The highest card position known on `port`, -1 when none. */
  lastCard(port: number): number {
    return this.slots().reduce((last, s) => (s.port === port ? Math.max(last, s.card) : last), -1);
  }

  /** Ports with at least one slot. */
  ports(): number[] {
    return [...new Set(this.slots().map((s) => s.port))];
  }

  get size(): number {
    return this.#slots.size;
  }

  clear(): void {
    this.#slots.clear();
  }
}

const key = (port: number, card: number): string => `${port}/${card}`;
