/**
 * The live stream (/api/live, Server-Sent Events) read with fetch, so the bearer header goes
 * along; reconnects with backoff until closed. One call per page that needs it.
 */
import { authHeaders } from './api.js';
import type { AlarmChange, LiveReading } from './types.js';

export interface LiveHandlers {
  readings?(batch: LiveReading[]): void;
  alarm?(change: AlarmChange): void;
  agent?(change: { agentId: string; siteId: string; online: boolean }): void;
  /** Called on every (re)connect: reload what may have been missed. */
  open?(): void;
}

export function openLive(siteId: string | null, h: LiveHandlers): () => void {
  let stopped = false;
  let abort: AbortController | undefined;
  let delay = 1000;

  const dispatch = (event: string, data: string): void => {
    const v: unknown = JSON.parse(data);
    if (event === 'readings') h.readings?.(v as LiveReading[]);
    else if (event === 'alarm') h.alarm?.(v as AlarmChange);
    else if (event === 'agent') h.agent?.(v as { agentId: string; siteId: string; online: boolean });
    else if (event === 'hello') h.open?.();
  };

  const run = async (): Promise<void> => {
    while (!stopped) {
      abort = new AbortController();
      try {
        const res = await fetch(`/api/live${siteId === null ? '' : `?siteId=${encodeURIComponent(siteId)}`}`, { headers: authHeaders(), signal: abort.signal });
        if (!res.ok || res.body === null) throw new Error(`live stream answered ${res.status}`);
        delay = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length > 0) dispatch(event, data.join('\n'));
          }
        }
      } catch {
        /* dropped or refused: retry below */
      }
      if (stopped) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  };
  void run();
  return () => {
    stopped = true;
    abort?.abort();
  };
}
