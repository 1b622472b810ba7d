/**
 * The per-agent topic ACL of the embedded broker: an agent publishes only the agent kinds
 * under its own id, and subscribes only to its own acks and commands.
 */
import { AGENT_KINDS, filters, parseTopic } from '@ledwatch/protocols';

const AGENT_KIND_SET = new Set<string>(AGENT_KINDS);

export function mayPublish(clientId: string, topic: string): boolean {
  const parsed = parseTopic(topic);
  return parsed !== undefined && parsed.agentId === clientId && AGENT_KIND_SET.has(parsed.kind);
}

export function maySubscribe(clientId: string, topicFilter: string): boolean {
  return filters.forAgent(clientId).includes(topicFilter);
}
