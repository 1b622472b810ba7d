/**
 * What the rest of the hub needs from MQTT, whichever broker runs: receive what agents
 * publish, publish acks and commands to them, and hear when a connection drops.
 */
export interface InboundMessage {
  topic: string;
  payload: Buffer;
  /** MQTT client id of the publisher when the broker knows it (embedded mode). */
  clientId?: string;
  /** When the broker took the message in (ms), if it knows; else when it was handed over. */
  receivedAt?: number;
  /**
   * Given by the broker link: the handler calls it once the message no longer needs the
   * publisher held back — ingest, when a batch is applied and handed to the store (its ack
   * still waits until it is stored). The link then moves on to the next message without
   * waiting for the store; the handler's promise still settles when all is done.
   */
  accepted?: () => void;
}

export type MessageHandler = (msg: InboundMessage) => void | Promise<void>;

/** Runs a handler; `release` is called once, when it accepts the message or when it is done. */
export function deliverTo(handler: MessageHandler, msg: InboundMessage, release: () => void, onError: (err: unknown) => void): void {
  let released = false;
  const once = (): void => {
    if (released) return;
    released = true;
    release();
  };
  Promise.resolve()
    .then(() => handler({ ...msg, accepted: once }))
    .catch(onError)
    .finally(once);
}

export interface BrokerLink {
  readonly mode: 'embedded' | 'external';
  /** Registers the single inbound handler; awaited for backpressure. */
  onMessage(handler: MessageHandler): void;
  /**
   * Embedded mode: before the broker takes in an agent's telemetry message (PUBACK,
   * delivery), it waits for the promise `gate` returns (none: at once). Ingest passes
   * the store's room(), so a full store holds messages back in the agents' sockets and
   * outboxes instead of decoding them into the hub's memory.
   */
  holdTelemetryWhile?(gate: () => Promise<void> | undefined): void;
  /** Called when an agent's connection is gone (embedded mode only; external relies on Last Will). */
  onAgentDisconnect(handler: (agentId: string) => void): void;
  publish(topic: string, payload: Buffer, opts: { qos: 0 | 1; retain?: boolean }): Promise<void>;
  /** Subscribes to everything agents publish; resolves when the subscription is live. */
  start(): Promise<void>;
  /** Drops an agent's connection (after its credentials are revoked). */
  disconnectAgent(agentId: string): void;
  isAgentConnected(agentId: string): boolean | undefined;
  close(): Promise<void>;
}
