import { z } from 'zod';
import { op } from '../define';
import type { AbReport, AbRun } from '../shared/ab';
import { AB_KEYS } from '../shared/ab';
import { DEFAULT_ALIAS } from '../shared/registry';
import { EvaluateInputSchema } from './loop';
import { NameSchema, VersionSchema } from './registry';

export type * from '../shared/ab';

/** A/B and shadow runs on an alias (issue 12 item 4, ARCHITECTURE §4a). */

const AbTargetSchema = {
  model: NameSchema.optional(),
  alias: NameSchema.default(DEFAULT_ALIAS),
};

export const AbStartSchema = z
  .object({
    ...AbTargetSchema,
    challenger: VersionSchema,
    /** Share of readings the challenger decides (A/B); a shadow scores every reading and decides none. */
    share: z.number().gt(0).max(0.5).default(0.1),
    by: z.enum(AB_KEYS).default('building'),
    reason: z.string().trim().max(500).default(''),
  })
  .strict();

export const AbShadowSchema = AbStartSchema.omit({ share: true, by: true });

export const AbReportSchema = z
  .object({
    ...AbTargetSchema,
    /** A run by id; default the alias's active run, else its newest. */
    id: z.string().min(1).max(100).optional(),
    resamples: EvaluateInputSchema.shape.resamples,
    seed: EvaluateInputSchema.shape.seed,
  })
  .strict();

export const abOps = {
  /** Routes `share` of the alias's readings (by building or by reading) to the challenger. */
  'ab.start': op<{ run: AbRun }>()(() => AbStartSchema),
  /** Scores every reading of the alias with the challenger too, logged as shadow; the output stays the champion's. */
  'ab.shadow': op<{ run: AbRun }>()(() => AbShadowSchema),
  /** Ends the alias's active run (scoring goes back to the alias alone). */
  'ab.stop': op<{ run: AbRun }>()(() => z.object(AbTargetSchema).strict()),
  /** Every run of the registry (or of one model), newest first. */
  'ab.list': op<{ runs: AbRun[] }>()(() => z.object({ model: NameSchema.optional() }).strict()),
  /** Per-arm readings, anomaly rate and F1, the two-proportion test (or shadow agreement), and the verdict. */
  'ab.report': op<AbReport>()(() => AbReportSchema, { long: true }),
};
