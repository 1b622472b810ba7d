/** Builds a Link for tests: fast reconnects, a real SeqState in a temp folder. */
import { once } from 'node:events';
import type { Reading } from '@ledwatch/protocols';
import { Link, type LinkOptions } from '../link.js';
import { SeqState } from '../state.js';

export const AGENT_ID = 'site-1';

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
    seq: await SeqState.open({ dataDir }),
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
