/**
 * The live view's source of readings: a telemetry store that announces every batch handed
 * to it on the bus (`readings`) before storing it, so dashboards see a reading as soon as
 * the hub has it, whichever store runs. Listeners run synchronously inside write() (keep
 * them cheap); one that throws is ignored, so a broken listener never stops a write.
 */
import type { HubBus } from '../context.js';
import { type TelemetryPoint, type TelemetryStore, toTelemetryPoints } from '../telemetry/store.js';

export function tapTelemetry(bus: HubBus, store: TelemetryStore): TelemetryStore {
  const announce = (points: () => readonly TelemetryPoint[]): void => {
    if (bus.listenerCount('readings') === 0) return; // points are built only for a live view
    try {
      const list = points();
      if (list.length > 0) bus.emit('readings', list);
    } catch {
      /* a live listener must never stop a write */
    }
  };
  return {
    get kind() {
      return store.kind;
    },
    write(points) {
      announce(() => points);
      return store.write(points);
    },
    writeReadings(owner, readings, offsetMs) {
      announce(() => toTelemetryPoints(owner, readings, offsetMs));
      return store.writeReadings(owner, readings, offsetMs);
    },
    room: () => store.room(),
    latest: (q) => store.latest(q),
    query: (q) => store.query(q),
    health: () => store.health(),
    stats: () => store.stats(),
    close: () => store.close(),
  };
}
