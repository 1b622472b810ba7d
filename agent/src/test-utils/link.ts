/** Builds a Link for tests: fast reconnects, a real SeqState and outbox in a temp folder. */
import { once } from 'node:events';
import type { Reading } from '@ledwatch/protocols';
import { Link, type LinkOptions } from '../link.js';
import { Outbox, type OutboxOptions } from '../outbox/outbox.js';
import { SeqState } from '../state.js';
import type { Seen, Watcher } from './broker.js';

export const AGENT_ID = 'site-1';

const open = new Set<Outbox>();

/** Opens an outbox in `dataDir` (closed by {@link closeOutboxes}). */
export async function testOutbox(dataDir: string, over: Partial<OutboxOptions> = {}): Promise<Outbox> {
  const outbox = await Outbox.open({ dataDir, seq: await SeqState.open({ dataDir }), ...over });
  open.add(outbox);
  return outbox;
}

/** Closes every outbox opened by {@link testLink} or {@link testOutbox}. */
export async function closeOutboxes(): Promise<void> {
  const all = [...open];
  open.clear();
  await Promise.all(all.map((o) => o.close()));
}

export async function testLink(url: string, dataDir: string, over: Partial<LinkOptions> = {}): Promise<Link> {
  return new Link({
    agentId: AGENT_ID,
    secret: 'link-secret',
    url,
    keepaliveS: 5,
    reconnectMinMs: 50,
    reconnectMaxMs: 300,
    version: '9.9.9',
    startedAt: Date.now(),
    inventory: () => Promise.resolve([{ id: 'host', kind: 'host', capabilities: ['cpu'] }]),
    outbox: over.outbox ?? (await testOutbox(dataDir)),
    ...over,
  });
}

/** Starts the link and resolves with the session id of its first connection. */
export async function connected(link: Link): Promise<string> {
  const first = once(link, 'connected') as Promise<[string]>;
  link.start();
  const [sessionId] = await first;
  return sessionId;
}

export const sampleReadings = (n: number): Reading[] => [{ device: 'host', at: Date.now(), metrics: { n } }];

const isBatch = (m: Seen): boolean => /\/(telemetry|events)$/.test(m.topic);

/**
 * Makes `watcher` play the hub: it answers every telemetry and events batch of `agentId`
 * with `ack {seq}`, as the hub does once its store has taken the batch.
 */
export function actAsHub(watcher: Watcher, agentId = AGENT_ID): void {
  const root = `ledwatch/v1/${agentId}`;
  watcher.client.on('message', (topic, raw) => {
    if (topic !== `${root}/telemetry` && topic !== `${root}/events`) return;
    const { seq } = JSON.parse(raw.toString('utf8')) as { seq: number };
    watcher.client.publishAsync(`${root}/ack`, JSON.stringify({ seq }), { qos: 1 }).catch(() => undefined);
  });
}

/** Seqs of the telemetry and events batches `watcher` saw, in arrival order. */
export const seenSeqs = (watcher: Watcher): number[] => watcher.messages.filter(isBatch).map((m) => m.payload.seq as number);

export async function waitUntil(cond: () => boolean, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
