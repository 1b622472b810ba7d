/**
 * Topics of the ledwatch MQTT contract v1. Topics are only ever built and parsed here;
 * nothing publishes to a wildcard.
 *
 *   ledwatch/v1/{agentId}/status            agent → hub   QoS 1, retained, Last Will
 *   ledwatch/v1/{agentId}/inventory         agent → hub   QoS 1, retained
 *   ledwatch/v1/{agentId}/telemetry         agent → hub   QoS 1
 *   ledwatch/v1/{agentId}/events            agent → hub   QoS 1
 *   ledwatch/v1/{agentId}/ack               hub → agent   QoS 1
 *   ledwatch/v1/{agentId}/cmd/{cmdId}       hub → agent   QoS 1
 *   ledwatch/v1/{agentId}/cmd-result/{cmdId} agent → hub  QoS 1
 */
import { ContractError } from '../errors.js';

export const CONTRACT_ROOT = 'ledwatch/v1';

/** Kinds an agent publishes. */
export const AGENT_KINDS = ['status', 'inventory', 'telemetry', 'events', 'cmd-result'] as const;
/** Kinds the hub publishes. */
export const HUB_KINDS = ['ack', 'cmd'] as const;
export const TOPIC_KINDS = [...AGENT_KINDS, ...HUB_KINDS] as const;

export type AgentTopicKind = (typeof AGENT_KINDS)[number];
export type HubTopicKind = (typeof HUB_KINDS)[number];
export type TopicKind = (typeof TOPIC_KINDS)[number];

/** Agent and command ids: 1–64 characters of letters, digits, `_`, `-` and `.`. */
export const ID_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';
const ID_RE = new RegExp(ID_PATTERN);

export function isValidId(id: string): boolean {
  return ID_RE.test(id);
}

function checkId(what: string, id: string): void {
  if (!ID_RE.test(id)) {
    throw new ContractError(
      'unknown-topic',
      `invalid ${what} ${JSON.stringify(id)}`,
      `a ${what} is 1-64 characters of letters, digits, "_", "-" and "."`,
    );
  }
}

const WITH_CMD_ID = new Set<TopicKind>(['cmd', 'cmd-result']);

export function topicFor(kind: Exclude<TopicKind, 'cmd' | 'cmd-result'>, agentId: string): string;
export function topicFor(kind: 'cmd' | 'cmd-result', agentId: string, cmdId: string): string;
export function topicFor(kind: TopicKind, agentId: string, cmdId?: string): string {
  checkId('agent id', agentId);
  if (WITH_CMD_ID.has(kind)) {
    if (cmdId === undefined) throw new ContractError('unknown-topic', `topic kind ${kind} needs a command id`);
    checkId('command id', cmdId);
    return `${CONTRACT_ROOT}/${agentId}/${kind}/${cmdId}`;
  }
  return `${CONTRACT_ROOT}/${agentId}/${kind}`;
}

export const topics = {
  status: (agentId: string) => topicFor('status', agentId),
  inventory: (agentId: string) => topicFor('inventory', agentId),
  telemetry: (agentId: string) => topicFor('telemetry', agentId),
  events: (agentId: string) => topicFor('events', agentId),
  ack: (agentId: string) => topicFor('ack', agentId),
  cmd: (agentId: string, cmdId: string) => topicFor('cmd', agentId, cmdId),
  cmdResult: (agentId: string, cmdId: string) => topicFor('cmd-result', agentId, cmdId),
} as const;

/** Subscription filters (never publish targets). */
export const filters = {
  /** Everything every agent publishes: what the hub subscribes to. */
  allAgents: (): string[] => AGENT_KINDS.map((k) => (WITH_CMD_ID.has(k) ? `${CONTRACT_ROOT}/+/${k}/+` : `${CONTRACT_ROOT}/+/${k}`)),
  /** What one agent subscribes to: its acks and its commands. */
  forAgent: (agentId: string): string[] => [topicFor('ack', agentId), `${CONTRACT_ROOT}/${agentId}/cmd/+`],
} as const;

export interface ParsedTopic {
  agentId: string;
  kind: TopicKind;
  cmdId?: string;
}

/** Parses a contract topic, or returns undefined for anything outside the contract. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length < 4 || parts.length > 5) return undefined;
  const [root, version, agentId, kind, cmdId] = parts as [string, string, string, string, string | undefined];
  if (`${root}/${version}` !== CONTRACT_ROOT || !ID_RE.test(agentId)) return undefined;
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) return undefined;
  const k = kind as TopicKind;
  if (WITH_CMD_ID.has(k)) {
    if (cmdId === undefined || !ID_RE.test(cmdId)) return undefined;
    return { agentId, kind: k, cmdId };
  }
  if (cmdId !== undefined) return undefined;
  return { agentId, kind: k };
}

/** True when `topic` lies under the agent's own subtree (used by broker ACLs). */
export function isUnderAgent(topic: string, agentId: string): boolean {
  return topic.startsWith(`${CONTRACT_ROOT}/${agentId}/`);
}
