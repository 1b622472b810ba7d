/**
 * What the evaluator remembers per agent and device, so a reading costs no database round
 * trip: the agent's site and customer, each device's kind (from the devices table, kept
 * current by inventories), its compiled rules, and per component the rule states
 * (hysteresis, pending hold times) and the time of the last reading evaluated.
 */
import type Database from 'better-sqlite3';
import type { CompiledSet } from './rules.js';

export interface AgentRef {
  id: string;
  siteId: string;
  customerId: string;
}

/** One rule's condition state on one component. */
export interface RuleState {
  /** The condition holds (raised, and its clear condition not met yet). */
  holding: boolean;
  /** Reading time from which the raise condition has been true (hold time pending). */
  since?: number | undefined;
}

export interface ComponentState {
  /** `agent \0 device \0 component \0`: alarm keys are this plus the type. */
  prefix: string;
  /** Reading time of the newest reading evaluated: older ones are skipped. */
  lastAt: number;
  /** By rule id; created with the first state (most components of a fleet never need one). */
  rules: Map<string, RuleState> | undefined;
}

export interface DeviceEntry {
  agent: AgentRef;
  deviceId: string;
  /** devices.id, or null for the agent itself (device ''). */
  pk: number | null;
  kind: string;
  present: boolean;
  /** Shared with every device the same rules apply to (RuleBook.compile). */
  rules: CompiledSet | undefined;
  comps: Map<string, ComponentState>;
  /** Hub time of the last reading (stale data), or of the agent coming online. */
  lastReceived: number | undefined;
}

/** The kind the agent itself (device '') has for rule matches. */
export const AGENT_KIND = 'agent';

/**
 * The hub as a pseudo agent and device, for alarms about the hub's own problems. No agent
 * can have this id (provisioned ids end in `-<8 hex>`); site and customer are '' (hub-wide).
 */
export const HUB_AGENT: Readonly<AgentRef> = Object.freeze({ id: 'hub', siteId: '', customerId: '' });
export const HUB_DEVICE = 'hub';
export const HUB_KIND = 'hub';

export const alarmKey = (prefix: string, type: string): string => prefix + type;
export const componentPrefix = (agentId: string, deviceId: string, component: string): string => `${agentId}\u0000${deviceId}\u0000${component}\u0000`;

export class DeviceDirectory {
  readonly #agents = new Map<string, AgentRef>();
  /** Entries by agent, then device: one agent's inventory or removal touches only its own. */
  readonly #byAgent = new Map<string, Map<string, DeviceEntry>>();
  /** One string per device kind, not one per device row read. */
  readonly #kinds = new Map<string, string>();
  readonly #st;

  constructor(db: Database.Database) {
    this.#st = {
      agent: db.prepare<[string], { site_id: string; customer_id: string }>('select a.site_id, s.customer_id from agents a join sites s on s.id = a.site_id where a.id = ?'),
      device: db.prepare<[string, string], { id: number; kind: string; present: number }>('select id, kind, present from devices where agent_id = ? and device_id = ?'),
      agentDevices: db.prepare<[string], { id: number; device_id: string; kind: string; present: number }>('select id, device_id, kind, present from devices where agent_id = ?'),
    };
  }

  agent(id: string): AgentRef | undefined {
    if (id === HUB_AGENT.id) return HUB_AGENT;
    let a = this.#agents.get(id);
    if (a === undefined) {
      const row = this.#st.agent.get(id);
      if (row === undefined) return undefined;
      a = { id, siteId: row.site_id, customerId: row.customer_id };
      this.#agents.set(id, a);
    }
    return a;
  }

  /** The entry of a device ('' = the agent itself), loaded on first use. */
  device(agent: AgentRef, deviceId: string): DeviceEntry {
    let own = this.#byAgent.get(agent.id);
    let d = own?.get(deviceId);
    if (d === undefined) {
      const hub = agent.id === HUB_AGENT.id;
      const row = deviceId === '' || hub ? undefined : this.#st.device.get(agent.id, deviceId);
      const kind = hub ? HUB_KIND : deviceId === '' ? AGENT_KIND : this.#kind(row?.kind ?? 'unknown');
      d = { agent: this.agent(agent.id) ?? agent, deviceId, pk: row?.id ?? null, kind, present: (row?.present ?? 1) !== 0, rules: undefined, comps: new Map(), lastReceived: undefined };
      if (own === undefined) this.#byAgent.set(agent.id, (own = new Map()));
      own.set(deviceId, d);
    }
    return d;
  }

  #kind(kind: string): string {
    const known = this.#kinds.get(kind);
    if (known !== undefined) return known;
    if (this.#kinds.size < 10_000) this.#kinds.set(kind, kind);
    return kind;
  }

  component(d: DeviceEntry, component: string): ComponentState {
    let c = d.comps.get(component);
    if (c === undefined) {
      c = { prefix: componentPrefix(d.agent.id, d.deviceId, component), lastAt: -Infinity, rules: undefined };
      d.comps.set(component, c);
    }
    return c;
  }

  /** Every device of the agent from the database, each given `now` as its last reading (a grace period for stale data). */
  loadAgent(agent: AgentRef, now: number): void {
    for (const row of this.#st.agentDevices.all(agent.id)) {
      const d = this.device(agent, row.device_id);
      d.pk = row.id;
      d.kind = this.#kind(row.kind);
      d.present = row.present !== 0;
      d.lastReceived = now;
      d.rules = undefined;
    }
  }

  /** A new inventory: kinds may have changed, and devices not in it are absent. */
  onInventory(agent: AgentRef, devices: readonly { id: string; kind: string }[], now: number): void {
    const listed = new Set(devices.map((d) => d.id));
    for (const d of this.#byAgent.get(agent.id)?.values() ?? []) if (d.deviceId !== '' && !listed.has(d.deviceId)) d.present = false;
    for (const inv of devices) {
      const d = this.device(agent, inv.id);
      if (d.pk === null) d.pk = this.#st.device.get(agent.id, inv.id)?.id ?? null;
      if (d.kind !== inv.kind) {
        d.rules = undefined;
        d.kind = this.#kind(inv.kind);
      }
      d.present = true;
      d.lastReceived ??= now;
    }
  }

  /** Every agent's devices (Map iterators, not a generator: a sweep walks a fleet's 400,000 without allocating per step). */
  byAgent(): IterableIterator<ReadonlyMap<string, DeviceEntry>> {
    return this.#byAgent.values();
  }

  /** Forgets every rule state (after a failed write: the database is the truth). */
  resetStates(): void {
    for (const own of this.#byAgent.values()) for (const d of own.values()) d.comps.clear();
  }

  forgetAgent(agentId: string): void {
    this.#agents.delete(agentId);
    this.#byAgent.delete(agentId);
  }
}
