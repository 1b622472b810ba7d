/**
 * Options of the `synthetic` driver: a deterministic producer of readings for pipeline
 * checks, commissioning load tests and fault tests (no equipment behind it).
 */
import { Type, type Static } from 'typebox';

/** Backlog readings one device may emit at its first poll (memory bound of one poll). */
export const MAX_BACKFILL_READINGS = 1_000_000;

export const SyntheticBackfillSchema = Type.Object(
  {
    hours: Type.Number({
      exclusiveMinimum: 0,
      maximum: 720,
      description: 'how far back the backlog reaches, in hours; keep it inside the hub raw retention (telemetry.rawRetentionDays)',
    }),
    everyS: Type.Number({ minimum: 1, default: 10, description: 'seconds between two backlog readings of each component' }),
  },
  {
    additionalProperties: false,
    description:
      'at its first poll, also emit the backlog a site would have collected while its uplink was down: one reading per component every everyS seconds over the past hours (with a journal: only when the journal is still empty, so a restart does not repeat it)',
  },
);

export const SyntheticOptionsSchema = Type.Object(
  {
    readingsPerPoll: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 1,
      description: 'readings per poll, one per component c0, c1, …; 1 = a single reading of the device itself (no component)',
    }),
    metrics: Type.Integer({
      minimum: 1,
      maximum: 256,
      default: 3,
      description: 'metrics per reading: n (a counter rising with every reading) and then fillers m1, m2, … derived from it',
    }),
    journal: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'file (one per device; relative to the working directory) to which every reading is appended as a line "<component> <at>" (component - for the device itself) before the poll returns: the record of what was produced; n continues from its line count after a restart',
      }),
    ),
    backfill: Type.Optional(SyntheticBackfillSchema),
  },
  { additionalProperties: false },
);
export type SyntheticOptions = Static<typeof SyntheticOptionsSchema>;
export type SyntheticBackfill = Static<typeof SyntheticBackfillSchema>;
