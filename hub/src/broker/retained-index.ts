/**
 * Retained messages of the embedded broker, indexed by topic prefix.
 *
 * aedes' memory persistence answers every SUBSCRIBE by testing each retained topic against
 * the filter, so with every agent's status and inventory retained, each agent's
 * subscriptions (`…/<agent>/ack`, `…/<agent>/cmd/+`) scan the whole fleet: connecting
 * 10,000 agents cost ~100 s of CPU. Here retained messages are kept by their first
 * PREFIX_LEVELS topic levels (`ledwatch/v1/<agent>`), and a filter whose first levels are
 * literal looks only at its own prefix; a filter with a wildcard there (an operator's
 * `ledwatch/v1/+/status`) scans everything, as before. Same answers, same order per prefix.
 */
import type { Aedes } from 'aedes';

const PREFIX_LEVELS = 3;

interface RetainedPacket {
  topic: string;
  payload: Buffer | string;
}

/** What of aedes-persistence's in-memory store this replaces (its async layer). */
interface AsyncMemoryPersistence {
  storeRetained(packet: RetainedPacket): Promise<void>;
  createRetainedStream(pattern: string): Iterable<RetainedPacket>;
  createRetainedStreamCombi(patterns: string[]): Iterable<RetainedPacket>;
}

/** The bucket of a topic, or of a filter whose first levels hold no wildcard (else undefined). */
export function prefixOf(topicOrFilter: string): string | undefined {
  let end = -1;
  for (let level = 0; level < PREFIX_LEVELS; level++) {
    const next = topicOrFilter.indexOf('/', end + 1);
    if (next < 0) {
      end = topicOrFilter.length;
      break;
    }
    end = next;
  }
  const prefix = topicOrFilter.slice(0, end);
  return prefix.includes('+') || prefix.includes('#') ? undefined : prefix;
}

/** MQTT filter matching (`+` one level, `#` the rest, including none). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

export class RetainedIndex {
  readonly #buckets = new Map<string, Map<string, RetainedPacket>>();

  get size(): number {
    let n = 0;
    for (const b of this.#buckets.values()) n += b.size;
    return n;
  }

  store(packet: RetainedPacket): void {
    const key = prefixOf(packet.topic) ?? packet.topic;
    let bucket = this.#buckets.get(key);
    if (packet.payload.length === 0) {
      bucket?.delete(packet.topic);
      if (bucket?.size === 0) this.#buckets.delete(key);
      return;
    }
    if (bucket === undefined) {
      bucket = new Map();
      this.#buckets.set(key, bucket);
    }
    bucket.set(packet.topic, { ...packet });
  }

  *match(filter: string): Generator<RetainedPacket> {
    const key = prefixOf(filter);
    const buckets = key === undefined ? this.#buckets.values() : [this.#buckets.get(key)];
    for (const bucket of buckets) {
      if (bucket === undefined) continue;
      for (const [topic, packet] of bucket) if (topicMatches(filter, topic)) yield packet;
    }
  }
}

/**
 * Puts a RetainedIndex in place of the retained store of aedes' default (memory)
 * persistence; returns false, changing nothing, when the broker uses another one.
 */
export function indexRetained(aedes: Aedes): boolean {
  const inner = (aedes as unknown as { persistence?: { asyncPersistence?: Partial<AsyncMemoryPersistence> } }).persistence?.asyncPersistence;
  if (inner === undefined || inner.constructor.name !== 'MemoryPersistence' || typeof inner.createRetainedStreamCombi !== 'function') return false;
  const index = new RetainedIndex();
  inner.storeRetained = (packet) => {
    index.store(packet);
    return Promise.resolve();
  };
  inner.createRetainedStream = (pattern) => index.match(pattern);
  inner.createRetainedStreamCombi = function* (patterns) {
    for (const p of patterns) yield* index.match(p);
  };
  return true;
}
