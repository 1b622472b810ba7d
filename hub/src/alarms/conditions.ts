/**
 * One rule's condition on one reading, with hysteresis and hold time. Pure: the caller
 * keeps the RuleState per component.
 *
 * - Metric rules raise when `value op threshold` holds; once holding they stay so while
 *   `value op clearValue` holds (clearValue defaults to the threshold), so a reading
 *   between the two thresholds changes nothing.
 * - State rules hold while the reading's state is one of theirs.
 * - With `forS`, the raise condition must be true at readings spanning at least forS
 *   (reading times): the first true reading starts the clock, a false one resets it.
 *   Evaluated on readings only, so the raise comes with the first reading past forS.
 */
import type { MetricValue } from '@ledwatch/protocols';
import type { RuleState } from './directory.js';
import type { CompiledRule } from './rules.js';
import type { Op } from './rule-schema.js';

export function compare(op: Op, v: MetricValue, threshold: MetricValue): boolean {
  if (op === '==') return v === threshold;
  if (op === '!=') return v !== threshold;
  if (typeof v !== 'number' || typeof threshold !== 'number') return false;
  switch (op) {
    case '>':
      return v > threshold;
    case '>=':
      return v >= threshold;
    case '<':
      return v < threshold;
    default:
      return v <= threshold;
  }
}

/** The value a rule looks at in a reading, or undefined when the reading has none. */
export function observed(rule: CompiledRule, metrics: Readonly<Record<string, MetricValue>>, state: string | undefined): MetricValue | undefined {
  const c = rule.condition;
  if ('metric' in c) return metrics[c.metric];
  if ('state' in c) return state;
  return undefined;
}

/** Advances the rule state with one observed value at reading time `at`; returns whether it holds. */
export function step(rule: CompiledRule, st: RuleState, value: MetricValue, at: number): boolean {
  const c = rule.condition;
  let raise: boolean;
  let keep: boolean;
  let forS = 0;
  if ('metric' in c) {
    raise = compare(c.op, value, c.value);
    keep = c.clearValue === undefined ? raise : compare(c.op, value, c.clearValue);
    forS = c.forS ?? 0;
  } else if ('state' in c) {
    raise = typeof value === 'string' && (c.state as readonly string[]).includes(value);
    keep = raise;
    forS = c.forS ?? 0;
  } else return false;

  if (st.holding) {
    st.holding = keep;
    if (!keep) st.since = undefined;
    return st.holding;
  }
  if (!raise) {
    st.since = undefined;
    return false;
  }
  st.since ??= at;
  st.holding = at - st.since >= forS * 1000;
  return st.holding;
}

/** A short human message of what holds, e.g. `Receiving card hot: temperatureC 72 > 70`. */
export function messageOf(rule: CompiledRule, value: MetricValue): string {
  const c = rule.condition;
  if ('metric' in c) return `${rule.name}: ${c.metric} ${String(value)} ${c.op} ${String(c.value)}`;
  if ('state' in c) return `${rule.name}: state ${String(value)}`;
  return rule.name;
}
