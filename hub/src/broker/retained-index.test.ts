import { Aedes } from 'aedes';
import { describe, expect, it } from 'vitest';
import { RetainedIndex, indexRetained, prefixOf, topicMatches } from './retained-index.js';

const packet = (topic: string, payload = 'x') => ({ topic, payload: Buffer.from(payload) });

describe('retained messages indexed by topic prefix', () => {
  it('matches MQTT filters like the broker does', () => {
    expect(topicMatches('ledwatch/v1/a1/cmd/+', 'ledwatch/v1/a1/cmd/c-1')).toBe(true);
    expect(topicMatches('ledwatch/v1/a1/cmd/+', 'ledwatch/v1/a1/cmd')).toBe(false);
    expect(topicMatches('ledwatch/v1/a1/cmd/+', 'ledwatch/v1/a1/cmd/c-1/x')).toBe(false);
    expect(topicMatches('ledwatch/#', 'ledwatch')).toBe(true);
    expect(topicMatches('ledwatch/v1/+/status', 'ledwatch/v1/a2/status')).toBe(true);
    expect(topicMatches('a/b', 'a/b/c')).toBe(false);
    expect(prefixOf('ledwatch/v1/a1/cmd/+')).toBe('ledwatch/v1/a1');
    expect(prefixOf('ledwatch/v1/+/status')).toBeUndefined();
    expect(prefixOf('a/b')).toBe('a/b');
  });

  it('answers each filter with what a full scan answers', () => {
    const index = new RetainedIndex();
    const topics = ['ledwatch/v1/a1/status', 'ledwatch/v1/a1/cmd/c1', 'ledwatch/v1/a2/status', 'ledwatch/v1/a2/cmd/c9', 'other', 'a/b', 'a/b/c/d'];
    for (const t of topics) index.store(packet(t));
    index.store(packet('ledwatch/v1/a2/cmd/c9', '')); // an empty retained message clears it
    const kept = topics.filter((t) => t !== 'ledwatch/v1/a2/cmd/c9');
    for (const f of ['ledwatch/v1/a1/cmd/+', 'ledwatch/v1/a2/cmd/+', 'ledwatch/v1/+/status', '#', 'a/b', 'a/b/#', 'a/+/c/d', 'other', 'ledwatch/v1/a1/#']) {
      expect([...index.match(f)].map((p) => p.topic), f).toEqual(kept.filter((t) => topicMatches(f, t)));
    }
    expect(index.size).toBe(kept.length);
  });

  it('serves a subscriber its own retained command out of 20,000 retained messages without scanning them', async () => {
    const aedes = await Aedes.createBroker();
    try {
      expect(indexRetained(aedes)).toBe(true);
      const persistence = (aedes as unknown as { persistence: { storeRetained(p: object): Promise<void>; createRetainedStreamCombi(f: string[]): AsyncIterable<{ topic: string }> } }).persistence;
      const store = (p: { topic: string; payload: Buffer }) => persistence.storeRetained({ ...p, qos: 1, retain: true, cmd: 'publish' });
      for (let i = 0; i < 10_000; i++) {
        await store(packet(`ledwatch/v1/agent-${i}/status`));
        await store(packet(`ledwatch/v1/agent-${i}/inventory`));
      }
      await store(packet('ledwatch/v1/agent-7/cmd/c-1', 'do it'));
      const read = async (patterns: string[]) => {
        const got: string[] = [];
        for await (const p of persistence.createRetainedStreamCombi(patterns)) got.push(p.topic);
        return got;
      };
      const t0 = performance.now();
      for (let i = 0; i < 2000; i++) await read([`ledwatch/v1/agent-${i}/ack`, `ledwatch/v1/agent-${i}/cmd/+`]);
      const perSubscribe = (performance.now() - t0) / 2000;
      expect(await read(['ledwatch/v1/agent-7/cmd/+'])).toEqual(['ledwatch/v1/agent-7/cmd/c-1']);
      expect(await read(['ledwatch/v1/+/status'])).toHaveLength(10_000); // a wildcard agent level still sees everyone
      // A full scan tests 20,000 topics per filter (several ms); the index a handful.
      expect(perSubscribe).toBeLessThan(1);
    } finally {
      await new Promise<void>((r) => aedes.close(() => r()));
    }
  });
});
