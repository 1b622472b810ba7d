/**
 * A NovaStar controller (one sending card, its ports and receiving cards, a function
 * card) that answers requests the way the real device does. Pure and deterministic: no
 * sockets or timers; the agent's TCP and serial wrappers feed it bytes and send back what
 * it returns, and call `tick(now)` if they want drift.
 *
 * Answers:
 * - a request to another daisy-chain index gets none; one to FF (all sending cards) is
 *   answered with this controller's index as the source;
 * - reads are served byte for byte from the target's register space (space.ts), so any
 *   offset and length up to 256 works; unknown addresses read as memory (0 until written);
 * - writes update the model (brightness, selected input, relays) or memory, then ack 0;
 *   commands such as factory reset or parameter store are acknowledged and change nothing;
 * - the function card answers whatever port and board a request names;
 * - a receiving card that is missing, or beyond the model, answers ack 1 (timeout); a
 *   broadcast write reaching no present card too;
 * - ack 4 (invalid command): a read or write over 256 bytes, a read addressed to all
 *   ports or all boards (a read needs one card), an unknown deviceType.
 * Responses and requests that fail to frame (bad checksum) get no answer, so the client
 * times out, as with a real device.
 */
import { ALL_BOARDS, ALL_PORTS, ALL_SENDING_CARDS, DEVICE_TYPE, encodeFrame, type NovaStarFrame } from '../frame.js';
import { NovaStarFramer } from '../framer.js';
import { ACK, errorResponse, readResponse, writeResponse } from '../messages.js';
import { checkFault } from './check.js';
import { DEFAULT_DRIFT, driftOffsetC, type DriftOptions } from './drift.js';
import { faultId, type Fault } from './faults.js';
import { createControllerModel, type ControllerModel, type ReceivingCardState } from './model.js';
import { effectiveCard, effectiveSendingCard } from './overlay.js';
import { readSpace, writeSpace, type RegisterSpace } from './space.js';
import { functionCardSpace, receivingCardSpace, sendingCardSpace } from './targets.js';

/** Largest read or write the simulator serves; NovaStar tools chunk at 256 bytes. */
export const MAX_TRANSFER = 256;

export interface SimulatorOptions {
  /** Default: {@link createControllerModel}() — an MCTRL660 Pro, 2 ports × 8 cards. */
  readonly model?: ControllerModel;
  readonly drift?: DriftOptions;
}

export class NovaStarSimulator {
  readonly model: ControllerModel;
  readonly #drift: DriftOptions;
  readonly #faults = new Map<string, Fault>();
  #now: number | undefined;
  #framer = new NovaStarFramer();

  constructor(options: SimulatorOptions = {}) {
    this.model = options.model ?? createControllerModel();
    this.#drift = options.drift ?? DEFAULT_DRIFT;
  }

  /** Answers one request frame: normally one response, none when it is not for this controller. */
  handle(request: NovaStarFrame): NovaStarFrame[] {
    const { index } = this.model;
    if (request.head !== 'request') return [];
    if (request.destination !== index && request.destination !== ALL_SENDING_CARDS) return [];
    const answer = this.#answer(request);
    return [answer.source === index ? answer : { ...answer, source: index }];
  }

  /** Feeds bytes from the link; returns the encoded answers to every whole request in them. */
  handleBytes(chunk: Uint8Array): Uint8Array {
    const answers = this.#framer
      .push(chunk)
      .flatMap((event) => (event.type === 'frame' ? this.handle(event.frame) : []))
      .map(encodeFrame);
    const out = new Uint8Array(answers.reduce((n, a) => n + a.length, 0));
    answers.reduce((offset, a) => (out.set(a, offset), offset + a.length), 0);
    return out;
  }

  /** Drops a partial frame, e.g. when a new client connects. */
  resetStream(): void {
    this.#framer = new NovaStarFramer();
  }

  /** Activates a fault (replacing an active one with the same id); returns its id. */
  inject(fault: Fault): string {
    checkFault(this.model, fault);
    const id = faultId(fault);
    this.#faults.set(id, fault);
    return id;
  }

  /** Clears a fault given as the fault or its id; false when it was not active. */
  clear(faultOrId: Fault | string): boolean {
    return this.#faults.delete(typeof faultOrId === 'string' ? faultOrId : faultId(faultOrId));
  }

  clearAll(): void {
    this.#faults.clear();
  }

  /** The active faults, in the order they were first injected. */
  faults(): Fault[] {
    return [...this.#faults.values()];
  }

  /** Moves the drift clock to `now` (ms); temperatures then follow drift.ts. */
  tick(now: number): void {
    this.#now = now;
  }

  /** A receiving card as a client would read it now (faults and drift applied). */
  effectiveCard(port: number, board: number): ReceivingCardState | undefined {
    const card = this.model.cards[port]?.[board];
    if (card === undefined) return undefined;
    const drift = this.#now === undefined ? 0 : driftOffsetC(this.#drift, this.#now, port, board);
    return effectiveCard(card, { port, board }, this.faults(), drift);
  }

  #answer(request: NovaStarFrame): NovaStarFrame {
    const size = request.direction === 'read' ? request.length : request.data.length;
    if (size > MAX_TRANSFER) return errorResponse(request, ACK.invalidCommand);
    switch (request.deviceType) {
      case DEVICE_TYPE.sendingCard: {
        const { sendingCard, functionCard } = this.model;
        return serve(request, [sendingCardSpace(sendingCard, effectiveSendingCard(sendingCard, this.faults()), functionCard)]);
      }
      case DEVICE_TYPE.receivingCard:
        return this.#receivingCards(request);
      case DEVICE_TYPE.functionCard: {
        const card = this.model.functionCard;
        return card.present ? serve(request, [functionCardSpace(card)]) : errorResponse(request, ACK.timeout);
      }
      default:
        return errorResponse(request, ACK.invalidCommand);
    }
  }

  #receivingCards(request: NovaStarFrame): NovaStarFrame {
    const broadcast = request.port === ALL_PORTS || request.board === ALL_BOARDS;
    if (broadcast && request.direction === 'read') return errorResponse(request, ACK.invalidCommand);
    const spaces: RegisterSpace[] = [];
    this.model.cards.forEach((cards, port) => {
      if (request.port !== ALL_PORTS && request.port !== port) return;
      cards.forEach((card, board) => {
        if (request.board !== ALL_BOARDS && request.board !== board) return;
        const view = this.effectiveCard(port, board);
        if (view?.present === true) spaces.push(receivingCardSpace(card, view));
      });
    });
    return spaces.length === 0 ? errorResponse(request, ACK.timeout) : serve(request, spaces);
  }
}

/** Reads from the one space, or writes to every space, and builds the answer. */
function serve(request: NovaStarFrame, spaces: readonly RegisterSpace[]): NovaStarFrame {
  if (request.direction === 'write') {
    for (const space of spaces) writeSpace(space, request.address, request.data);
    return writeResponse(request);
  }
  const [space] = spaces;
  return space === undefined ? errorResponse(request, ACK.timeout) : readResponse(request, readSpace(space, request.address, request.length));
}
