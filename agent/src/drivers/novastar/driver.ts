/**
 * The `novastar` driver: a NovaStar sending card (controller) over TCP or serial, with
 * its output ports and receiving cards. Per poll: the controller's status registers, then
 * each known card's monitoring block and brightness. The controller is identified on
 * every new connection and its versions re-read when due (daily); cards are looked for at
 * the first poll and every `enumerateEveryPolls` polls after. A controller that keeps
 * resetting the connection is held by another client: reported as state `held`. The link
 * stays open between polls unless `releaseBetweenPolls` lets NovaLCT in meanwhile.
 */
import { AgentError } from '../../errors.js';
import type { Driver, DriverContext, DriverFactory, InventoryDevice, Reading } from '../types.js';
import type { NovaStarClient } from './client.js';
import { createConnector, type ConnectorDeps } from './connect.js';
import { NovaStarConnection } from './connection.js';
import { readControllerStatus } from './controller-status.js';
import { pollCard } from './cards.js';
import { enumerateCards, readIdentity } from './enumerate.js';
import { identifyController, portsToScan, type ControllerIdentity } from './identify.js';
import { cardInventory, controllerInventory, NOVASTAR_KIND } from './inventory.js';
import { assertNovaStarOptions, NovaStarOptionsSchema, type NovaStarOptions } from './options.js';
import { cardReading, controllerReading, heldReading } from './readings.js';
import { CardRoster } from './roster.js';

export class NovaStarDriver implements Driver {
  readonly #ctx: DriverContext<NovaStarOptions>;
  readonly #connection: NovaStarConnection;
  readonly #roster = new CardRoster();
  #identity: ControllerIdentity | undefined;
  #versionsAt = 0;
  #polls = 0;
  #closed = false;

  constructor(ctx: DriverContext<NovaStarOptions>, deps: Partial<ConnectorDeps> = {}) {
    const o = ctx.options;
    assertNovaStarOptions(o, `devices ${ctx.device.id} options`);
    this.#ctx = ctx;
    this.#connection = new NovaStarConnection({
      connect: createConnector(o, { log: ctx.log, ...deps }),
      log: ctx.log,
      now: ctx.now,
      held: { threshold: o.heldAfterResets, windowMs: o.heldWindowS * 1000 },
      trackHeld: o.transport === 'tcp',
      reconnectMinMs: o.reconnectMinMs,
      reconnectMaxMs: o.reconnectMaxMs,
    });
  }

  inventory(): Promise<InventoryDevice[]> {
    const { id, name } = this.#ctx.device;
    const controller = controllerInventory(id, name, this.#identity);
    return Promise.resolve([controller, ...this.#roster.slots().map((slot) => cardInventory(id, slot))]);
  }

  async poll(signal: AbortSignal): Promise<Reading[]> {
    if (this.#closed) throw new AgentError('driver-closed', `the novastar driver of ${this.#ctx.device.id} is closed`);
    const connection = this.#connection;
    if (connection.held.held && !connection.mayConnect(this.#ctx.now())) return [this.#heldReading()];
    try {
      return await this.#poll(signal);
    } catch (err) {
      if (connection.held.held && !signal.aborted) return [this.#heldReading()];
      throw err;
    } finally {
      if (this.#ctx.options.releaseBetweenPolls) await connection.drop();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#connection.close();
  }

  async #poll(signal: AbortSignal): Promise<Reading[]> {
    const { client, fresh } = await this.#connection.client(signal);
    const o = this.#ctx.options;
    const identity = await this.#identify(client, fresh, signal);
    const ports = portsToScan(identity.modelId, o.ports);
    if (this.#roster.size === 0 || this.#polls % o.enumerateEveryPolls === 0) {
      await enumerateCards(client, this.#roster, { ports, maxCardsPerPort: o.maxCardsPerPort, stopAfterMissing: o.stopAfterMissing }, signal);
    }
    this.#polls++;
    const status = await readControllerStatus(client, signal);
    const cards = [];
    for (const slot of this.#roster.slots()) cards.push({ slot, poll: await pollCard(client, slot, o.monitoringLength, signal) });
    this.#connection.answered();
    const id = this.#ctx.device.id;
    const at = this.#ctx.now();
    return [controllerReading(id, at, { identity, status, ports, cards }), ...cards.map((c) => cardReading(id, at, c.slot, c.poll))];
  }

  /** Identifies on a new connection, and re-reads the versions of the controller and its cards when due. */
  async #identify(client: NovaStarClient, fresh: boolean, signal: AbortSignal): Promise<ControllerIdentity> {
    const now = this.#ctx.now();
    const due = now - this.#versionsAt >= this.#ctx.options.versionsEveryS * 1000;
    if (!fresh && !due && this.#identity !== undefined) return this.#identity;
    const identity = await identifyController(client, signal);
    const before = this.#identity;
    if (before !== undefined && (before.serial !== identity.serial || before.modelId !== identity.modelId)) {
      this.#ctx.log.info({ before, after: identity }, 'a different controller answers: cards are enumerated afresh');
      this.#roster.clear();
    }
    this.#identity = identity;
    if (due) {
      for (const slot of this.#roster.slots()) {
        const card = await readIdentity(client, slot.port, slot.card, signal);
        if (typeof card !== 'string') slot.identity = card;
      }
      this.#versionsAt = now;
    }
    return identity;
  }

  #heldReading(): Reading {
    return heldReading(this.#ctx.device.id, this.#ctx.now(), this.#connection.held.totalResets);
  }
}

export interface NovaStarDriverFactoryOptions {
  /** Replaces the real TCP/serial transports (tests). */
  readonly transport?: ConnectorDeps['transport'];
}

export function novastarDriverFactory(opts: NovaStarDriverFactoryOptions = {}): DriverFactory<NovaStarOptions> {
  return {
    kind: NOVASTAR_KIND,
    optionsSchema: NovaStarOptionsSchema,
    check: (_device, options) => assertNovaStarOptions(options),
    create: (ctx) => new NovaStarDriver(ctx, opts.transport === undefined ? {} : { transport: opts.transport }),
  };
}
