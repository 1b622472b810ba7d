/**
 * The rule book: shipped defaults plus custom rules from the database, and the overrides
 * that change them per scope. The effective rule of a device is
 * default ← global ← customer ← site ← device override; each device gets its matching
 * rules compiled once (per rule-book version) and grouped for the evaluator.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { DEFAULT_RULES } from './defaults.js';
import { globMatches, globToRegExp } from './glob.js';
import { type AlarmRule, type Condition, type OverrideFields, type RuleOverride, type Severity, severityRank } from './rule-schema.js';

export interface CompiledRule {
  id: string;
  name: string;
  type: string;
  severity: Severity;
  rank: number;
  /** Component glob; undefined = any component. */
  component: RegExp | undefined;
  condition: Condition;
}

/** Metric and state rules of one alarm type: the alarm is open while any of them holds. */
export interface RuleGroup {
  type: string;
  rules: CompiledRule[];
}

/** Shared by every device with the same matches and overrides: never mutated once built. */
export interface CompiledSet {
  version: number;
  groups: RuleGroup[];
  /** Event rules, specific types first, then '*'. */
  events: CompiledRule[];
  offline: CompiledRule[];
  stale: CompiledRule[];
  ids: Set<string>;
}

/** Who a device is, for matching and for choosing overrides. */
export interface RuleTarget {
  kind: string;
  deviceId: string;
  pk: number | null;
  agent: { siteId: string; customerId: string };
}

interface RuleRow {
  id: string;
  name: string;
  type: string;
  severity: string;
  match: string;
  condition: string;
  enabled: number;
}

interface OverrideRow {
  rule_id: string;
  scope: string;
  scope_id: string;
  enabled: number | null;
  severity: string | null;
  value: string | null;
  clear_value: number | null;
  for_s: number | null;
  after_s: number | null;
}

/** What is wrong with a condition beyond its schema (thresholds that cannot work). */
export function conditionProblems(c: Condition): string[] {
  if (!('metric' in c)) return [];
  const problems: string[] = [];
  const ordered = c.op !== '==' && c.op !== '!=';
  if (ordered && typeof c.value !== 'number') problems.push(`${c.op} compares numbers: value must be a number`);
  if (c.clearValue !== undefined) {
    if (!ordered || typeof c.value !== 'number') problems.push('clearValue applies to numeric thresholds (>, >=, <, <=) only');
    else if ((c.op.startsWith('>') && c.clearValue > c.value) || (c.op.startsWith('<') && c.clearValue < c.value)) {
      problems.push(`clearValue ${c.clearValue} must lie on the clear side of value ${c.value} (hysteresis)`);
    }
  }
  return problems;
}

/** Which override fields a rule's condition takes; an override may set no others. */
export function overrideProblems(rule: AlarmRule, fields: OverrideFields): string[] {
  const c = rule.condition;
  const problems: string[] = [];
  if ((fields.value !== undefined || fields.clearValue !== undefined) && !('metric' in c)) problems.push('value and clearValue apply to metric rules only');
  if (fields.forS !== undefined && !('metric' in c) && !('state' in c)) problems.push('forS applies to metric and state rules only');
  if (fields.afterS !== undefined && !('kind' in c && c.kind === 'stale')) problems.push('afterS applies to stale rules only');
  return problems;
}

export function applyOverride(rule: AlarmRule, o: OverrideFields): AlarmRule {
  const next: AlarmRule = { ...rule, ...(o.enabled !== undefined ? { enabled: o.enabled } : {}), ...(o.severity !== undefined ? { severity: o.severity } : {}) };
  const c = rule.condition;
  if ('metric' in c) {
    next.condition = { ...c, ...(o.value !== undefined ? { value: o.value } : {}), ...(o.clearValue !== undefined ? { clearValue: o.clearValue } : {}), ...(o.forS !== undefined ? { forS: o.forS } : {}) };
  } else if ('state' in c && o.forS !== undefined) next.condition = { ...c, forS: o.forS };
  else if ('kind' in c && c.kind === 'stale' && o.afterS !== undefined) next.condition = { ...c, afterS: o.afterS };
  return next;
}

const SCOPE_ORDER = ['global', 'customer', 'site', 'device'] as const;

export class RuleBook {
  #version = 0;
  #custom: AlarmRule[] = [];
  #overrides = new Map<string, RuleOverride[]>();
  /**
   * Compiled sets by what decides them (kind, device-pattern matches, scopes with
   * overrides): a fleet's 400,000 devices share a handful instead of one each.
   */
  #sets = new Map<string, CompiledSet>();
  #patterns: string[] = [];
  #scoped = { customer: false, site: false, devices: new Set<string>() };
  readonly #st;

  constructor(
    db: Database.Database,
    private readonly log: Logger,
  ) {
    this.#st = {
      rules: db.prepare<[], RuleRow>('select id, name, type, severity, match, condition, enabled from alarm_rules order by created_at, id'),
      overrides: db.prepare<[], OverrideRow>('select * from alarm_rule_overrides'),
    };
    this.load();
  }

  get version(): number {
    return this.#version;
  }

  /** Reads custom rules and overrides again (after an API change). */
  load(): void {
    this.#custom = this.#st.rules.all().flatMap((r) => {
      try {
        const rule: AlarmRule = { id: r.id, builtIn: false, name: r.name, type: r.type, severity: r.severity as Severity, match: JSON.parse(r.match), condition: JSON.parse(r.condition), enabled: r.enabled !== 0 };
        return [rule];
      } catch (err) {
        this.log.error({ ruleId: r.id, err: (err as Error).message }, 'alarm rule unreadable; skipped');
        return [];
      }
    });
    this.#overrides = new Map();
    for (const o of this.#st.overrides.all()) {
      const list = this.#overrides.get(o.rule_id) ?? [];
      list.push(toOverride(o));
      this.#overrides.set(o.rule_id, list);
    }
    for (const list of this.#overrides.values()) list.sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope));
    const all = [...this.#overrides.values()].flat();
    this.#scoped = {
      customer: all.some((o) => o.scope === 'customer'),
      site: all.some((o) => o.scope === 'site'),
      devices: new Set(all.filter((o) => o.scope === 'device').map((o) => o.scopeId)),
    };
    this.#patterns = [...new Set(this.all().flatMap((r) => (r.match.devicePattern === undefined ? [] : [r.match.devicePattern])))];
    this.#sets = new Map();
    this.#version++;
  }

  all(): AlarmRule[] {
    return [...DEFAULT_RULES, ...this.#custom];
  }

  get(id: string): AlarmRule | undefined {
    return DEFAULT_RULES.find((r) => r.id === id) ?? this.#custom.find((r) => r.id === id);
  }

  overridesOf(ruleId: string): RuleOverride[] {
    return this.#overrides.get(ruleId) ?? [];
  }

  /** The rule as it applies to this target, overrides applied in scope order. */
  effective(rule: AlarmRule, t: RuleTarget): AlarmRule {
    let out = rule;
    for (const o of this.#overrides.get(rule.id) ?? []) {
      const applies =
        o.scope === 'global' ||
        (o.scope === 'customer' && o.scopeId === t.agent.customerId) ||
        (o.scope === 'site' && o.scopeId === t.agent.siteId) ||
        (o.scope === 'device' && t.pk !== null && o.scopeId === String(t.pk));
      if (applies) out = applyOverride(out, o);
    }
    return out;
  }

  /** The rules of this target, compiled: the same object for every target they are the same for. */
  compile(t: RuleTarget): CompiledSet {
    let key = t.kind + '\u0000';
    for (const p of this.#patterns) key += globMatches(p, t.deviceId) ? '1' : '0';
    if (this.#scoped.customer) key += `\u0000${t.agent.customerId}`;
    if (this.#scoped.site) key += `\u0000${t.agent.siteId}`;
    if (t.pk !== null && this.#scoped.devices.has(String(t.pk))) key += `\u0000${t.pk}`;
    let set = this.#sets.get(key);
    if (set === undefined) this.#sets.set(key, (set = this.#build(t)));
    return set;
  }

  #build(t: RuleTarget): CompiledSet {
    const set: CompiledSet = { version: this.#version, groups: [], events: [], offline: [], stale: [], ids: new Set() };
    const wildcardEvents: CompiledRule[] = [];
    for (const base of this.all()) {
      if (!globMatches(base.match.deviceKind, t.kind) || !globMatches(base.match.devicePattern, t.deviceId)) continue;
      const r = this.effective(base, t);
      if (!r.enabled) continue;
      const c = r.condition;
      const compiled: CompiledRule = {
        id: r.id,
        name: r.name,
        type: r.type,
        severity: r.severity,
        rank: severityRank(r.severity),
        component: r.match.component === undefined ? undefined : globToRegExp(r.match.component),
        condition: c,
      };
      set.ids.add(r.id);
      if ('metric' in c || 'state' in c) {
        const group = set.groups.find((g) => g.type === r.type);
        if (group === undefined) set.groups.push({ type: r.type, rules: [compiled] });
        else group.rules.push(compiled);
      } else if ('event' in c) (c.event === '*' ? wildcardEvents : set.events).push(compiled);
      else if (c.kind === 'agent-offline') set.offline.push(compiled);
      else set.stale.push(compiled);
    }
    set.events.push(...wildcardEvents);
    return set;
  }
}

function toOverride(o: OverrideRow): RuleOverride {
  const out: RuleOverride = { ruleId: o.rule_id, scope: o.scope as RuleOverride['scope'], scopeId: o.scope_id };
  if (o.enabled !== null) out.enabled = o.enabled !== 0;
  if (o.severity !== null) out.severity = o.severity as Severity;
  if (o.value !== null) out.value = JSON.parse(o.value) as number | boolean | string;
  if (o.clear_value !== null) out.clearValue = o.clear_value;
  if (o.for_s !== null) out.forS = o.for_s;
  if (o.after_s !== null) out.afterS = o.after_s;
  return out;
}
