/**
 * What a rollout is asked to do: which agents (by customer, site, tag or id — the union),
 * in which waves, how much success advances it, how much failure pauses or aborts it, and
 * when installs may run (local hours of each site).
 */
import { Type, type Static } from 'typebox';

const Ids = Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 10000 });

export const RolloutSpec = Type.Object(
  {
    targets: Type.Object(
      {
        customerIds: Type.Optional(Ids),
        siteIds: Type.Optional(Ids),
        tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 64 })),
        agentIds: Type.Optional(Ids),
      },
      { additionalProperties: false, description: 'agents matching any of these; at least one list' },
    ),
    waves: Type.Optional(Type.Array(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 64 })),
          count: Type.Optional(Type.Integer({ minimum: 1, description: 'agents in this wave' })),
          percent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'cumulative share of the eligible agents by the end of this wave' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20, default: [{ name: 'canary', count: 1 }, { name: 'all', percent: 100 }], description: 'the last wave always takes every agent left' },
    )),
    successPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 100, description: 'share of a wave that must end healthy before the next wave starts' })),
    failure: Type.Optional(Type.Object(
      {
        maxFailures: Type.Optional(Type.Integer({ minimum: 1, description: 'failed agents (whole rollout) that trigger the action' })),
        maxFailurePercent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'share of the current wave failed that triggers the action' })),
        action: Type.Optional(Type.Union([Type.Literal('pause'), Type.Literal('abort')], { default: 'abort' })),
      },
      { additionalProperties: false, default: { maxFailures: 1, action: 'abort' }, description: 'default: abort at the first failure' },
    )),
    stageTimeoutS: Type.Optional(
      Type.Integer({ minimum: 60, default: 3600, description: 'an agent whose upgrade shows no progress for this long (also one that stays offline) counts as failed: no-answer' }),
    ),
    window: Type.Optional(
      Type.Object(
        {
          startHour: Type.Integer({ minimum: 0, maximum: 23 }),
          endHour: Type.Integer({ minimum: 0, maximum: 24, description: 'exclusive; may be below startHour to span midnight' }),
        },
        { additionalProperties: false, description: 'local hours (site time zone) when installs may start' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RolloutSpecInput = Static<typeof RolloutSpec>;
export type RolloutSpec = RolloutSpecInput & Required<Pick<RolloutSpecInput, 'waves' | 'successPercent' | 'stageTimeoutS'>> & { failure: NonNullable<RolloutSpecInput['failure']> & { action: 'pause' | 'abort' } };

/** The spec with every default filled in (stored with the rollout). */
export function normalizeSpec(input: RolloutSpecInput): RolloutSpec {
  const failure = input.failure ?? { maxFailures: 1 };
  return {
    ...input,
    waves: input.waves ?? [{ name: 'canary', count: 1 }, { name: 'all', percent: 100 }],
    successPercent: input.successPercent ?? 100,
    stageTimeoutS: input.stageTimeoutS ?? 3600,
    failure: { ...failure, action: failure.action ?? 'abort' },
  };
}

/** Splits eligible agents (in order) into waves; the last wave takes the rest. */
export function assignWaves(agentIds: readonly string[], waves: RolloutSpec['waves']): string[][] {
  const out: string[][] = [];
  let taken = 0;
  waves.forEach((w, i) => {
    const last = i === waves.length - 1;
    let upTo: number;
    if (last) upTo = agentIds.length;
    else if (w.count !== undefined) upTo = taken + w.count;
    else upTo = Math.ceil(((w.percent ?? 100) / 100) * agentIds.length);
    upTo = Math.min(agentIds.length, Math.max(upTo, taken));
    out.push(agentIds.slice(taken, upTo));
    taken = upTo;
  });
  return out;
}

/** Whether installs may start now at a site in `timeZone`. */
export function inWindow(window: RolloutSpec['window'], timeZone: string, now: number): boolean {
  if (window === undefined) return true;
  let hour: number;
  try {
    hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(new Date(now)));
  } catch {
    hour = new Date(now).getUTCHours();
  }
  const { startHour, endHour } = window;
  return startHour <= endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
}
