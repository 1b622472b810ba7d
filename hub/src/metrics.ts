/**
 * Hub counters in the Prometheus text format (served at /metrics). One registry per hub
 * instance so tests can run several hubs in one process.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface HubMetrics {
  registry: Registry;
  /** MQTT messages accepted, by topic kind. */
  messagesAccepted: Counter<'kind'>;
  /** MQTT messages dropped, by topic kind and reason (an error code). */
  messagesRejected: Counter<'kind' | 'reason'>;
  readingsAccepted: Counter;
  /** Broker connections opened / currently connected, by transport. */
  connections: Counter<'transport'>;
  connected: Gauge;
  /** Failed MQTT authentications and refused publishes/subscribes, by reason. */
  authFailures: Counter<'reason'>;
  aclDenied: Counter<'action'>;
  httpLoginFailures: Counter;
}

export function createMetrics(): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ledwatch_hub_' });
  const registers = [registry];
  return {
    registry,
    messagesAccepted: new Counter({ name: 'ledwatch_mqtt_messages_accepted_total', help: 'Contract messages accepted, by topic kind', labelNames: ['kind'], registers }),
    messagesRejected: new Counter({
      name: 'ledwatch_mqtt_messages_rejected_total',
      help: 'Messages dropped, by topic kind and reason',
      labelNames: ['kind', 'reason'],
      registers,
    }),
    readingsAccepted: new Counter({ name: 'ledwatch_readings_accepted_total', help: 'Readings accepted from telemetry messages', registers }),
    connections: new Counter({ name: 'ledwatch_mqtt_connections_total', help: 'MQTT client connections accepted, by transport', labelNames: ['transport'], registers }),
    connected: new Gauge({ name: 'ledwatch_mqtt_clients_connected', help: 'MQTT clients connected now', registers }),
    authFailures: new Counter({ name: 'ledwatch_mqtt_auth_failures_total', help: 'Refused MQTT connects, by reason', labelNames: ['reason'], registers }),
    aclDenied: new Counter({ name: 'ledwatch_mqtt_acl_denied_total', help: 'Publishes and subscribes refused by the topic ACL', labelNames: ['action'], registers }),
    httpLoginFailures: new Counter({ name: 'ledwatch_http_login_failures_total', help: 'Failed dashboard/API logins', registers }),
  };
}
