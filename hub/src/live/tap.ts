/**
 * The live view's source of readings: a telemetry store that announces every batch handed
 * to it on the bus (`readings`) before storing it, so dashboards see a reading as soon as
 * the hub has it, whichever store runs. Listeners run synchronously inside write() (keep
 * them cheap); one that throws is ignored, so a broken listener never stops a write.
 */
import type { HubBus } from '../context.js';
import type { TelemetryPoint, TelemetryStore } from '../telemetry/store.js';

export function tapTelemetry(bus: HubBus, store: TelemetryStore): TelemetryStore {
  return {
    get kind() {
      return store.kind;
    },
    write(points: readonly TelemetryPoint[]) {
      if (points.length > 0 && bus.listenerCount('readings') > 0) {
        try {
          bus.emit('readings', points);
        } catch {
          /* a live listener must never stop a write */
        }
      }
      return store.write(points);
    },
    latest: (q) => store.latest(q),
    query: (q) => store.query(q),
    health: () => store.health(),
    stats: () => store.stats(),
    close: () => store.close(),
  };
}
