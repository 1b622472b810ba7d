/**
 * Prometheus counters of the telemetry store, registered on the hub's registry (served at
 * /metrics). Registering twice on one registry reuses the existing metrics.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface TelemetryMetrics {
  written: Counter<'store'>;
  rejected: Counter<'store' | 'reason'>;
  retries: Counter<'store'>;
  buffered: Gauge<'store'>;
}

function reuse<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

export function createTelemetryMetrics(registry: Registry): TelemetryMetrics {
  const registers = [registry];
  return {
    written: reuse(registry, 'ledwatch_telemetry_points_written_total', () =>
      new Counter({ name: 'ledwatch_telemetry_points_written_total', help: 'Telemetry points durably stored, by store', labelNames: ['store'], registers }),
    ),
    rejected: reuse(registry, 'ledwatch_telemetry_points_rejected_total', () =>
      new Counter({
        name: 'ledwatch_telemetry_points_rejected_total',
        help: 'Telemetry points the store refused for good (dropped), by store and reason',
        labelNames: ['store', 'reason'],
        registers,
      }),
    ),
    retries: reuse(registry, 'ledwatch_telemetry_write_retries_total', () =>
      new Counter({ name: 'ledwatch_telemetry_write_retries_total', help: 'Telemetry write batches retried after a failure, by store', labelNames: ['store'], registers }),
    ),
    buffered: reuse(registry, 'ledwatch_telemetry_buffered_points', () =>
      new Gauge({ name: 'ledwatch_telemetry_buffered_points', help: 'Telemetry points held in memory waiting to be stored', labelNames: ['store'], registers }),
    ),
  };
}
