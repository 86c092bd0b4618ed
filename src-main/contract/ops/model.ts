import { z } from 'zod';
import { boundedInt, boundedNumber, op } from '../define';
import { ALGORITHMS, NORMALIZE_KINDS, TRAIN } from '../shared/model';
import type { ExplainResult, ScoreResult, TrainResult } from '../shared/model';
import { DEFAULT_MODEL } from '../shared/registry';
import { DataWindowSchema, LineageInputSchema } from './loop';
import { NameSchema, VersionSchema } from './registry';

export type * from '../shared/model';

/** Model operations (ARCHITECTURE §5): training, scoring and explanations. CSV import is in ops/data.ts. */

export const Contamination = z.union([z.literal('auto'), z.number().gt(0).max(TRAIN.contamination.max)]);

export const TrainInputSchema = z.object({
  /**
   * Default: 'contextual' when the dataset has a timestamp column and an energy-like feature (or `meters` are named),
   * else 'isolation-forest' with a warning saying why (README "The model").
   */
  algorithm: z.enum(ALGORITHMS).optional(),
  /** Contextual: energy columns to baseline; default every feature whose name looks like energy (kW, kWh, power, load…). */
  meters: z.array(z.string().min(1)).min(1).optional(),
  /** Contextual: a sensor repeating the same value this many hours is stuck. */
  stuckHours: z.number().int().min(2).max(168).default(6),
  datasetId: z.string().min(1),
  model: NameSchema.default(DEFAULT_MODEL),
  /** Default: every column with role `feature`. */
  features: z.array(z.string().min(1)).min(1).optional(),
  /** Default: the column with role `label`, if any. Used for metrics only, never for fitting. */
  label: z.string().min(1).optional(),
  /** Verdicts from feedback.ndjson count as labels (fault 1, false alarm 0) for the metrics (README "Alerts and feedback"). */
  includeFeedback: z.boolean().default(false),
  trees: boundedInt(TRAIN.trees),
  sampleSize: boundedInt(TRAIN.sampleSize),
  contamination: Contamination.default(TRAIN.contamination.default),
  seed: boundedInt(TRAIN.seed),
  /** Share of rows held out (seeded random split) to measure precision/recall when a label exists. */
  holdout: boundedNumber(TRAIN.holdout),
  /** Default: 'per-id' when the dataset has an id column (role id), else 'none'. */
  normalize: z.enum(NORMALIZE_KINDS).optional(),
  version: VersionSchema.optional(),
  alias: NameSchema.optional(),
  description: z.string().max(5000).optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
  /** Train only on the rows whose timestamp falls in this data-time window (a retrain recommendation's window). */
  window: DataWindowSchema.optional(),
  /** Recorded in version.json (parent, trigger, reason); filled in when omitted. */
  lineage: LineageInputSchema.optional(),
});

/** Either a version or an alias; neither = alias `production` if set, else the latest version. */
const versionChoice = {
  /** Omitted: the registry's only model; several models need a name. */
  model: NameSchema.optional(),
  version: VersionSchema.optional(),
  alias: NameSchema.optional(),
};
const oneOfVersionAlias = (v: { version?: string; alias?: string }): boolean => v.version === undefined || v.alias === undefined;
const bothMessage = { message: 'give either a version or an alias, not both', path: ['alias'] };

export const ScoreInputSchema = z
  .object({
    datasetId: z.string().min(1),
    ...versionChoice,
    /** Append every scored reading to the registry's prediction log. */
    log: z.boolean().default(true),
    /** Also write the input rows plus anomaly_score and is_anomaly to this CSV (atomically). */
    out: z.string().min(1).optional(),
    /** The log's request id (default random): a watched file's fixed id lets a restart see it was already logged. */
    requestId: z.string().min(1).max(200).optional(),
    /** Which rows `out` holds: every scored row, or only the flagged ones (the Data tab's downloads). */
    outRows: z.enum(['all', 'flagged']).default('all'),
  })
  .strict()
  .refine(oneOfVersionAlias, bothMessage);

export const ExplainInputSchema = z
  .object({
    datasetId: z.string().min(1),
    ...versionChoice,
    row: z.number().int().min(0),
    topK: z.number().int().min(1).max(50).default(5),
  })
  .strict()
  .refine(oneOfVersionAlias, bothMessage);

export const modelOps = {
  /** Fits the contextual detector or an Isolation Forest (progress per phase, cancellable) and registers it as a new version. */
  'model.train': op<TrainResult>()(() => TrainInputSchema.strict(), { long: true }),
  /** Scores a dataset with a registered version and logs the predictions. */
  'model.score': op<ScoreResult>()(() => ScoreInputSchema, { long: true }),
  /** Which features isolated one reading, against the training percentiles. */
  'model.explain': op<ExplainResult>()(() => ExplainInputSchema),
};
