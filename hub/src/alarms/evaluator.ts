/**
 * The evaluator: turns readings, events and agent presence into lifecycle calls. Per
 * reading it looks up the device's compiled rules (cached per device and rule-book
 * version), steps each rule's condition and, per alarm type, holds or releases the alarm.
 * Nothing touches the database unless an alarm changes.
 *
 * Readings older than the newest one evaluated for the same component are skipped, so a
 * late batch cannot flip an alarm back. While an agent is offline its devices raise
 * nothing (their readings still clear alarms).
 */
import type { AgentEvent, MetricValue, Reading } from '@ledwatch/protocols';
import { messageOf, observed, step } from './conditions.js';
import type { HubProblem } from '../notify/problems.js';
import { type AgentRef, type ComponentState, type DeviceDirectory, type DeviceEntry, HUB_AGENT, HUB_DEVICE } from './directory.js';
import type { Batch, Lifecycle } from './lifecycle.js';
import type { CompiledRule, CompiledSet, RuleBook, RuleGroup } from './rules.js';
import { severityRank } from './rule-schema.js';

export interface EvaluatorDeps {
  dir: DeviceDirectory;
  book: RuleBook;
  life: Lifecycle;
  /** Agents the hub has seen go offline and not come back. */
  offline: ReadonlySet<string>;
  now: () => number;
}

export class Evaluator {
  constructor(private readonly d: EvaluatorDeps) {}

  rulesOf(entry: DeviceEntry): CompiledSet {
    let set = entry.rules;
    if (set === undefined || set.version !== this.d.book.version) {
      set = this.d.book.compile(entry);
      entry.rules = set;
    }
    return set;
  }

  readings(agent: AgentRef, readings: readonly Reading[], batch: Batch): void {
    const { dir, life } = this.d;
    const now = this.d.now();
    const offline = this.d.offline.has(agent.id);
    for (const r of readings) {
      const entry = dir.device(agent, r.device);
      entry.lastReceived = now;
      const set = this.rulesOf(entry);
      const component = r.component ?? '';
      const comp = dir.component(entry, component);
      if (r.at < comp.lastAt) continue;
      comp.lastAt = r.at;
      if (set.stale.length > 0) {
        const prefix = component === '' ? comp.prefix : dir.component(entry, '').prefix;
        for (const rule of set.stale) life.release(prefix + rule.type, batch);
      }
      for (const g of set.groups) this.#group(g, entry, comp, component, r, offline, batch);
    }
  }

  #group(g: RuleGroup, entry: DeviceEntry, comp: ComponentState, component: string, r: Reading, offline: boolean, batch: Batch): void {
    const { life } = this.d;
    let key: string | undefined;
    let best: CompiledRule | undefined;
    let bestValue: MetricValue = false;
    let seen = false;
    for (const rule of g.rules) {
      if (rule.component !== undefined && !rule.component.test(component)) continue;
      const v = observed(rule, r.metrics, r.state);
      if (v === undefined) continue;
      seen = true;
      let st = comp.rules?.get(rule.id);
      if (st === undefined) {
        // After a restart: an open alarm of this type means its rules up to its severity hold.
        key ??= comp.prefix + g.type;
        const open = life.get(key);
        st = { holding: open !== undefined && rule.rank <= severityRank(open.severity) };
        (comp.rules ??= new Map()).set(rule.id, st);
      }
      if (step(rule, st, v, r.at) && (best === undefined || rule.rank > best.rank)) {
        best = rule;
        bestValue = v;
      }
    }
    if (!seen) return;
    key ??= comp.prefix + g.type;
    if (best === undefined) life.release(key, batch);
    else if (!offline) {
      const o = { agent: entry.agent, deviceId: entry.deviceId, component, type: g.type, severity: best.severity, ruleId: best.id, value: bestValue, message: messageOf(best, bestValue) };
      life.hold(key, o, batch);
    }
  }

  /**
   * Events: a rule naming the event type takes it; otherwise the '*' rule takes raised and
   * cleared events under the event's own type and severity. raised/info raise or repeat,
   * cleared clears.
   */
  events(agent: AgentRef, events: readonly AgentEvent[], batch: Batch): void {
    const { dir, life } = this.d;
    const offline = this.d.offline.has(agent.id);
    for (const ev of events) {
      const entry = dir.device(agent, ev.device ?? '');
      const set = this.rulesOf(entry);
      const component = ev.component ?? '';
      const comp = dir.component(entry, component);
      const fits = (rule: CompiledRule, type: string) =>
        'event' in rule.condition && rule.condition.event === type && (rule.component === undefined || rule.component.test(component));
      let rules = set.events.filter((rule) => fits(rule, ev.type));
      if (rules.length === 0 && ev.action !== 'info') rules = set.events.filter((rule) => fits(rule, '*'));
      for (const rule of rules) {
        const wildcard = 'event' in rule.condition && rule.condition.event === '*';
        const type = wildcard ? ev.type : rule.type;
        if (ev.action === 'cleared') life.release(comp.prefix + type, batch);
        else if (!offline) {
          const severity = wildcard ? (ev.severity ?? rule.severity) : rule.severity;
          const o = { agent, deviceId: entry.deviceId, component, type, severity, ruleId: rule.id, value: null, message: ev.message ?? rule.name };
          life.hold(comp.prefix + type, o, batch, true);
        }
      }
    }
  }

  /**
   * One of the hub's own problems started or ended: the hub device's event rule named after
   * it holds or releases alarm type `hub-<problem>` (a disabled rule raises nothing; the end
   * of a problem always clears).
   */
  hubProblem(p: HubProblem, batch: Batch): void {
    const entry = this.d.dir.device(HUB_AGENT, HUB_DEVICE);
    const key = this.d.dir.component(entry, '').prefix + `hub-${p.kind}`;
    if (!p.active) {
      this.d.life.release(key, batch);
      return;
    }
    const rule = this.rulesOf(entry).events.find((r) => 'event' in r.condition && r.condition.event === p.kind);
    if (rule === undefined) return;
    const o = { agent: HUB_AGENT, deviceId: HUB_DEVICE, component: '', type: `hub-${p.kind}`, severity: rule.severity, ruleId: rule.id, value: null, message: p.detail };
    this.d.life.hold(key, o, batch);
  }

  /** The agent went offline: its agent-offline rules hold. */
  agentOffline(agent: AgentRef, batch: Batch): void {
    const entry = this.d.dir.device(agent, '');
    const prefix = this.d.dir.component(entry, '').prefix;
    for (const rule of this.rulesOf(entry).offline) {
      const o = { agent, deviceId: '', component: '', type: rule.type, severity: rule.severity, ruleId: rule.id, value: null, message: `${rule.name}: agent ${agent.id}` };
      this.d.life.hold(prefix + rule.type, o, batch);
    }
  }

  agentOnline(agent: AgentRef, batch: Batch): void {
    const entry = this.d.dir.device(agent, '');
    const prefix = this.d.dir.component(entry, '').prefix;
    for (const rule of this.rulesOf(entry).offline) this.d.life.release(prefix + rule.type, batch);
  }

  /** Devices of online agents that sent nothing for their stale rule's afterS. */
  stale(batch: Batch): void {
    const now = this.d.now();
    for (const own of this.d.dir.byAgent()) for (const entry of own.values()) {
      if (entry.deviceId === '' || !entry.present || entry.lastReceived === undefined || this.d.offline.has(entry.agent.id)) continue;
      const silentS = (now - entry.lastReceived) / 1000;
      for (const rule of this.rulesOf(entry).stale) {
        const c = rule.condition;
        if (!('kind' in c) || c.kind !== 'stale' || silentS < c.afterS) continue;
        const o = { agent: entry.agent, deviceId: entry.deviceId, component: '', type: rule.type, severity: rule.severity, ruleId: rule.id, value: Math.round(silentS), message: `${rule.name} for ${Math.round(silentS)} s` };
        this.d.life.hold(this.d.dir.component(entry, '').prefix + rule.type, o, batch);
      }
    }
  }

  /** Event alarms with clearAfterS that saw no repeat for that long. */
  expireEvents(batch: Batch): void {
    const now = this.d.now();
    for (const a of [...this.d.life.values()]) {
      if (a.ruleId === null) continue;
      const agent = this.d.dir.agent(a.agentId);
      if (agent === undefined) continue;
      const rule = this.rulesOf(this.d.dir.device(agent, a.deviceId)).events.find((r) => r.id === a.ruleId);
      const c = rule?.condition;
      if (c !== undefined && 'event' in c && c.clearAfterS !== undefined && now - a.lastSeen >= c.clearAfterS * 1000) this.d.life.clear(a, 'auto', batch);
    }
  }

  /** After a rule change: open alarms no enabled rule of their device produces any more are cleared. */
  reconcile(batch: Batch): void {
    for (const a of [...this.d.life.values()]) {
      const agent = this.d.dir.agent(a.agentId);
      if (agent === undefined) continue;
      const set = this.rulesOf(this.d.dir.device(agent, a.deviceId));
      const kept = (a.ruleId !== null && set.ids.has(a.ruleId)) || set.groups.some((g) => g.type === a.type);
      if (!kept) this.d.life.clear(a, 'rule-disabled', batch);
    }
  }
}
