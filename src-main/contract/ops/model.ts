import { z } from 'zod';
import { op } from '../define';
import type { VersionMeta } from '../types/registry';
import type { Series } from './data';
import { DEFAULT_MODEL, NameSchema, VersionSchema } from './registry';

/** Model operations (DESIGN §5): training, scoring and explanations. CSV import is in ops/data.ts. */

export const CONTAMINATION_MAX = 0.5;
export const Contamination = z.union([z.literal('auto'), z.number().gt(0).max(CONTAMINATION_MAX)]);

/**
 * Preprocessing before the forest (README "The model"): 'per-id' scales each
 * feature by its building's (id group's) median and robust spread, so an
 * anomaly is "unusual for this building", not "a big building".
 */
export const NORMALIZE_KINDS = ['none', 'per-id'] as const;
export type Normalize = (typeof NORMALIZE_KINDS)[number];

/**
 * 'contextual' (README "The model"): per-building time-of-week-and-temperature
 * baselines, sequence rules and an ensemble; needs a timestamp column.
 * 'isolation-forest': every reading on its own.
 */
export const ALGORITHMS = ['contextual', 'isolation-forest'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const TrainInputSchema = z.object({
  /** Default: 'contextual' when the dataset has a timestamp column, else 'isolation-forest'. */
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
  trees: z.number().int().min(1).max(5000).default(100),
  sampleSize: z.number().int().min(2).max(100_000).default(256),
  // 'auto' (score > 0.5, sklearn's rule) flagged a quarter of the simulator's
  // ordinary readings; an expected share of 1% is the saner default.
  contamination: Contamination.default(0.01),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(42),
  /** Share of rows held out (seeded random split) to measure precision/recall when a label exists. */
  holdout: z.number().min(0).max(0.5).default(0.2),
  /** Default: 'per-id' when the dataset has an id column (role id), else 'none'. */
  normalize: z.enum(NORMALIZE_KINDS).optional(),
  version: VersionSchema.optional(),
  alias: NameSchema.optional(),
  description: z.string().max(5000).optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
});

/** What a version records as `params` (flat, so `versions.compare` names each change). */
export interface TrainParams {
  algorithm: Algorithm;
  features: string[];
  label: string | null;
  trees: number;
  sampleSize: number;
  /** Rows per tree actually used: min(sampleSize, training rows). */
  subsample: number;
  contamination: 'auto' | number;
  seed: number;
  holdout: number;
  /** Flag a reading when its anomaly score is above this. */
  threshold: number;
  normalize: Normalize;
  /** The id column whose groups the features are scaled within; null with normalize 'none'. */
  idColumn: string | null;
  /** Contextual only: the baselined meters, the temperature and time columns, the rule and member settings. */
  meters?: string[];
  temperatureColumn?: string | null;
  timeColumn?: string;
  stuckHours?: number;
  /** Member weights of the ensemble (weighted maximum), by member name. */
  weights?: Record<string, number>;
  /** Robust standard deviations at which the strongest weighted member flags (score 0.5). */
  zThreshold?: number;
}

export interface TrainResult {
  model: string;
  version: string;
  params: TrainParams;
  metrics: Record<string, number | null>;
  versionMeta: VersionMeta;
  /** Contextual: what the training could not do as asked (e.g. buildings on the fleet baseline). */
  warnings?: string[];
}

/** Either a version or an alias; neither = alias `production` if set, else the latest version. */
const versionChoice = {
  model: NameSchema.default(DEFAULT_MODEL),
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

export interface ScoreMarker {
  x: number;
  y: number;
  /** Row index in the dataset, for `model.explain`. */
  row: number;
}

export interface FlaggedReading {
  row: number;
  /** Epoch ms when the dataset has a timestamp column. */
  time: number | null;
  /** Building/meter id when the dataset has an id column. */
  id: string | null;
  score: number;
  /** 1/0 from the label column, null when unlabelled. */
  label: number | null;
  /** Feature values (null = missing). */
  values: Record<string, number | null>;
}

export interface ScoreResult {
  model: string;
  version: string;
  datasetId: string;
  features: string[];
  rows: number;
  anomalies: number;
  anomalyRate: number;
  threshold: number;
  /** Wall time of the request: resolving the version, loading the model, scoring. */
  latencyMs: number;
  /** Threads the scoring used (large inputs are split across threads). */
  threads: number;
  requestId: string;
  /** Readings appended to the prediction log (0 with log: false). */
  logged: number;
  scoreSummary: { p50: number; p95: number; p99: number; mean: number; max: number };
  /** Against the dataset's label column, when it has one. */
  evaluation: { precision: number; recall: number; f1: number; rocAuc: number | null } | null;
  out: { path: string; rows: number; bytes: number; renamed: Record<string, string> } | null;
  /** The scored series (total_kw, else the first feature), one per id, with flagged readings marked. */
  chart: { column: string; series: Series[]; markers: ScoreMarker[]; /** x is epoch ms (else row index). */ time: boolean };
  /** The highest-scoring flagged readings (up to 200), highest first. */
  top: FlaggedReading[];
  /** The version's preprocessing, as recorded in its artifact. */
  normalize: Normalize;
  idColumn: string | null;
  /** Things that make some scores less reliable (e.g. ids not seen in training); empty when none. */
  warnings: string[];
  /** The version's algorithm (absent in results of older GreenLens: isolation-forest). */
  algorithm?: Algorithm;
  /** Recall per labelled fault type, when the data has a fault-type column (e.g. anomaly_type). */
  recallByType?: Record<string, number>;
  /** Contextual: flagged readings per ensemble member that drove them. */
  flaggedByMember?: Record<string, number>;
}

export interface Contribution {
  feature: string;
  /** Share of the isolation credit in [0, 1]; all features sum to 1. */
  share: number;
  value: number | null;
  /** Training-data percentiles from the version's reference profile. */
  reference: { p05: number | null; p50: number | null; p95: number | null };
  /** 'high' above p95, 'low' below p05, else 'within' (raw value against raw percentiles). */
  direction: 'high' | 'low' | 'within';
  /**
   * With normalize 'per-id': what the forest saw, (value − the id's median) / the id's
   * robust spread — about ±1 is ordinary for that building. Null otherwise or when missing.
   */
  normalized: number | null;
  /** Contextual: the baseline's expected value for this reading (null when not a baselined meter). */
  expected?: number | null;
}

export interface ExplainResult {
  model: string;
  version: string;
  datasetId: string;
  row: number;
  time: number | null;
  id: string | null;
  score: number;
  flagged: boolean;
  threshold: number;
  normalize: Normalize;
  contributions: Contribution[];
  algorithm?: Algorithm;
  /** Contextual: the member that drove the score, and what it points to. */
  member?: string;
  /** Contextual: the fault the evidence suggests (hvac_fault, sensor_stuck, dropout, spike, after_hours, degradation) or null. */
  likelyFault?: string | null;
  /** Contextual: one sentence, e.g. "hvac_kw 2.1× expected for 14:00 Tuesday at 27 °C". */
  cause?: string;
}

export const modelOps = {
  /** Fits an Isolation Forest (progress per tree, cancellable) and registers it as a new version. */
  'model.train': op<TrainResult>()(TrainInputSchema.strict(), { long: true }),
  /** Scores a dataset with a registered version and logs the predictions. */
  'model.score': op<ScoreResult>()(ScoreInputSchema, { long: true }),
  /** Which features isolated one reading, against the training percentiles. */
  'model.explain': op<ExplainResult>()(ExplainInputSchema),
};
