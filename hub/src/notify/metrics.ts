/** Prometheus counters of notifications and heartbeats, on the hub's registry. */
import { Counter, type Registry } from 'prom-client';

export type NotifyOutcome = 'sent' | 'failed' | 'suppressed' | 'retried';

export interface NotifyMetrics {
  /** Notifications by channel and outcome (`retried` counts failed attempts that will be tried again). */
  notifications: Counter<'channel' | 'outcome'>;
  /** Heartbeat requests by result (ok, failed, skipped when the hub is unhealthy). */
  heartbeats: Counter<'result'>;
}

export function createNotifyMetrics(registry: Registry): NotifyMetrics {
  const registers = [registry];
  return {
    notifications: new Counter({
      name: 'ledwatch_notifications_total',
      help: 'Notifications by channel and outcome (sent, failed, suppressed, retried)',
      labelNames: ['channel', 'outcome'],
      registers,
    }),
    heartbeats: new Counter({ name: 'ledwatch_heartbeats_total', help: 'Heartbeat requests by result (ok, failed, skipped)', labelNames: ['result'], registers }),
  };
}
