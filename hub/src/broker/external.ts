/**
 * External broker mode: the hub is an ordinary MQTT client of a broker it does not run
 * (e.g. Mosquitto). In this mode the broker itself must authenticate agents and enforce
 * the per-agent topic ACL (see README, "External broker"); the hub validates every
 * payload and drops messages from agents it does not know.
 */
import { filters } from '@ledwatch/protocols';
import mqtt, { type MqttClient } from 'mqtt';
import type { HubContext } from '../context.js';
import { type BrokerLink, type MessageHandler, deliverTo } from './types.js';

export function createExternalBroker(ctx: HubContext, url: string): BrokerLink {
  const blog = ctx.log.child({ module: 'broker-client' });
  let handler: MessageHandler = () => undefined;
  let client: MqttClient | undefined;
  // Inbound messages are handled one at a time, in order, like the embedded broker does.
  let chain: Promise<void> = Promise.resolve();

  return {
    mode: 'external',
    onMessage(h) {
      handler = h;
    },
    onAgentDisconnect() {
      // The external broker publishes each agent's Last Will; nothing else to hear.
    },
    async start() {
      const opts: mqtt.IClientOptions = {
        clientId: ctx.config.mqtt.externalClientId,
        clean: false,
        keepalive: 30,
        reconnectPeriod: 2000,
        connectTimeout: 10_000,
      };
      if (ctx.config.mqtt.externalUsername !== undefined) opts.username = ctx.config.mqtt.externalUsername;
      if (ctx.config.mqtt.externalPassword !== undefined) opts.password = ctx.config.mqtt.externalPassword;
      client = await mqtt.connectAsync(url, opts);
      const c = client;
      const noDelay = (): void => (c.stream as { setNoDelay?: (v: boolean) => void } | undefined)?.setNoDelay?.(true);
      noDelay();
      c.on('connect', () => {
        noDelay();
        blog.info({ url }, 'connected to external broker');
      });
      c.on('error', (err) => blog.warn({ err: err.message }, 'external broker error'));
      c.on('offline', () => blog.warn({ url }, 'external broker unreachable; reconnecting'));
      c.on('message', (topic, payload) => {
        const receivedAt = Date.now();
        // In order: the next message is handled once this one is taken in (not stored).
        chain = chain.then(() => new Promise<void>((release) => deliverTo(handler, { topic, payload, receivedAt }, release, (err) => blog.error({ err, topic }, 'ingest handler failed'))));
      });
      await c.subscribeAsync(filters.allAgents(), { qos: 1 });
      blog.info({ url }, 'subscribed to agent topics on external broker');
    },
    async publish(topic, payload, opts) {
      if (!client) throw new Error('external broker link not started');
      await client.publishAsync(topic, payload, { qos: opts.qos, retain: opts.retain ?? false });
    },
    disconnectAgent(agentId) {
      blog.warn({ agentId }, 'agent revoked: remove its credentials from the external broker too');
    },
    isAgentConnected() {
      return undefined;
    },
    async close() {
      await chain;
      await client?.endAsync();
    },
  };
}
