/**
 * A real MQTT broker for tests: aedes in-process on 127.0.0.1, plus a watcher client
 * (mqtt.js) that records everything published under the contract root.
 */
import net from 'node:net';
import { Aedes } from 'aedes';
import { connect, type MqttClient } from 'mqtt';

export interface TestBroker {
  port: number;
  url: string;
  aedes: Aedes;
  /** Destroys every client socket without an MQTT DISCONNECT (as a network failure would). */
  dropClients(): void;
  /** Destroys the socket of one client id (true when it was connected). */
  dropClient(clientId: string): boolean;
  /** Every message clients published to this broker, as the broker saw it (no subscription races). */
  published: { clientId: string; topic: string; payload: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startBroker(port = 0): Promise<TestBroker> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<net.Socket>();
  const byClientId = new Map<string, net.Socket>();
  aedes.on('client', (client) => {
    if (client.conn instanceof net.Socket) byClientId.set(client.id, client.conn);
  });
  const published: TestBroker['published'] = [];
  aedes.on('publish', (packet, client) => {
    if (client === null) return;
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.from(packet.payload).toString('utf8')) as Record<string, unknown>;
    } catch {
      payload = {};
    }
    published.push({ clientId: client.id, topic: packet.topic, payload });
  });
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as net.AddressInfo).port;
  const dropClients = (): void => {
    for (const s of sockets) s.destroy();
  };
  return {
    port: actual,
    url: `mqtt://127.0.0.1:${actual}`,
    aedes,
    dropClients,
    published,
    dropClient(clientId) {
      const socket = byClientId.get(clientId);
      if (socket === undefined || socket.destroyed) return false;
      socket.destroy();
      return true;
    },
    async close() {
      dropClients();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

export interface Seen {
  topic: string;
  /** Parsed JSON, or the raw text when it is not JSON. */
  payload: Record<string, unknown>;
  retain: boolean;
}

export class Watcher {
  readonly messages: Seen[] = [];
  readonly client: MqttClient;
  #waiters: { pred: (m: Seen) => boolean; resolve: (m: Seen) => void }[] = [];

  private constructor(client: MqttClient) {
    this.client = client;
    client.on('message', (topic, raw, packet) => {
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        payload = { raw: raw.toString('utf8') };
      }
      const seen = { topic, payload, retain: packet.retain };
      this.messages.push(seen);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.pred(seen)) return true;
        w.resolve(seen);
        return false;
      });
    });
  }

  static async start(url: string, filter = 'ledwatch/v1/#'): Promise<Watcher> {
    const client = connect(url, { clientId: `watcher-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 100 });
    const watcher = new Watcher(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(filter, { qos: 1 });
    return watcher;
  }

  /** The first message (already seen or future) that matches, or a timeout error. */
  waitFor(pred: (m: Seen) => boolean, timeoutMs = 10_000, what = 'a matching message'): Promise<Seen> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise<Seen>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${this.messages.map((m) => m.topic).join(', ')}`));
      }, timeoutMs);
      const done = (m: Seen): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.#waiters.push({ pred, resolve: done });
    });
  }

  on(topicSuffix: string): Seen[] {
    return this.messages.filter((m) => m.topic.endsWith(topicSuffix));
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
