/**
 * The hub's own problems (a store it cannot reach, mail that fails, a heartbeat nobody
 * answers). Whoever notices one reports it here; the `'hub-problem'` bus event fires only
 * when a problem starts or ends, and the alarms module turns those into alarms.
 */
import type { HubBus, HubContext } from '../context.js';

export type HubProblemKind =
  /** The telemetry store (InfluxDB or the embedded one) fails its health check. */
  | 'store-unreachable'
  /** The state database does not answer. */
  | 'state-unreachable'
  /** SMTP sends keep failing (notify.mailFailureThreshold in a row). */
  | 'mail-failing'
  /** The heartbeat URL keeps failing (3 in a row). */
  | 'heartbeat-failing';

export interface HubProblem {
  kind: HubProblemKind;
  /** True when the problem starts, false when it is over. */
  active: boolean;
  /** One line for people: what failed and why (never a secret). */
  detail: string;
  at: number;
}

const activeByBus = new WeakMap<HubBus, Map<HubProblemKind, HubProblem>>();

function activeOf(bus: HubBus): Map<HubProblemKind, HubProblem> {
  let m = activeByBus.get(bus);
  if (m === undefined) {
    m = new Map();
    activeByBus.set(bus, m);
  }
  return m;
}

/**
 * Reports that a hub problem is (still) present or gone. Emits `'hub-problem'` and logs
 * only on a change, so callers may report on every check. Returns whether it changed.
 */
export function reportHubProblem(ctx: Pick<HubContext, 'bus' | 'log' | 'now'>, kind: HubProblemKind, active: boolean, detail: string): boolean {
  const current = activeOf(ctx.bus);
  if (current.has(kind) === active) return false;
  const problem: HubProblem = { kind, active, detail, at: ctx.now() };
  if (active) {
    current.set(kind, problem);
    ctx.log.warn({ module: 'self-monitor', problem: kind, detail }, 'hub problem');
  } else {
    current.delete(kind);
    ctx.log.info({ module: 'self-monitor', problem: kind, detail }, 'hub problem over');
  }
  ctx.bus.emit('hub-problem', problem);
  return true;
}

/**
 * Marks problems as active without announcing them: at a start, the hub alarms still open
 * from the last run, so the first passing check reports "over" and clears them.
 */
export function restoreHubProblems(bus: HubBus, problems: readonly Omit<HubProblem, 'active'>[]): void {
  const current = activeOf(bus);
  for (const p of problems) if (!current.has(p.kind)) current.set(p.kind, { ...p, active: true });
}

export const HUB_PROBLEM_KINDS: readonly HubProblemKind[] = ['state-unreachable', 'store-unreachable', 'mail-failing', 'heartbeat-failing'];

/** The problems active now (for health pages and the heartbeat body). */
export function activeHubProblems(bus: HubBus): HubProblem[] {
  return [...activeOf(bus).values()];
}
