/**
 * Training, scoring and explanations: the shapes and constants the UI, the CLI
 * and core share. Part of the contract's zod-free leaf (see ../index.ts).
 */
import type { ChartGroups, Series } from './data';
import { SEED } from './data';
import type { VersionMeta } from './registry';

/**
 * Bounds and defaults of `model.train`: its schema, the CLI and the form read them here.
 * Contamination: 'auto' (score > 0.5, sklearn's rule) flagged a quarter of the simulator's
 * ordinary readings; an expected share of 1% is the saner default.
 */
export const TRAIN = {
  trees: { min: 1, max: 5000, default: 100 },
  sampleSize: { min: 2, max: 100_000, default: 256 },
  /** A fraction in (0, max], or 'auto'. */
  contamination: { max: 0.5, default: 0.01 },
  seed: SEED,
  holdout: { min: 0, max: 0.5, default: 0.2 },
} as const;

/**
 * Preprocessing before the forest (README "The model"): 'per-id' scales each
 * feature by its building's (id group's) median and robust spread, so an
 * anomaly is "unusual for this building", not "a big building".
 */
/**
 * 'contextual' (README "The model"): per-building time-of-week-and-temperature
 * baselines, sequence rules and an ensemble; needs a timestamp column.
 * 'isolation-forest': every reading on its own.
 */
export const ALGORITHMS = ['contextual', 'isolation-forest'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const NORMALIZE_KINDS = ['none', 'per-id'] as const;
export type Normalize = (typeof NORMALIZE_KINDS)[number];

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
  /** Requested features left out because they were constant in the training data (absent in versions trained before this was recorded). */
  droppedFeatures?: string[];
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
  /** What a person should know about this training, e.g. a constant feature left out. */
  warnings: string[];
}

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
  chart: ChartGroups & { column: string; series: Series[]; markers: ScoreMarker[]; /** x is epoch ms (else row index). */ time: boolean };
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
  /** Set when the alias scored had an A/B or shadow run (ARCHITECTURE §4a): its challenger and the readings it decided (A/B) or scored (shadow). */
  ab?: { mode: 'ab' | 'shadow'; runId: string; challenger: string; challengerReadings: number };
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
  /** Contextual: the column (a baselined meter or a watched sensor) the member's evidence came from. */
  driverFeature?: string;
  /** Contextual: the fault the evidence suggests (hvac_fault, sensor_stuck, dropout, spike, after_hours, degradation) or null. */
  likelyFault?: string | null;
  /** Contextual: one sentence, e.g. "hvac_kw 2.1× expected for 14:00 Tuesday at 27 °C". */
  cause?: string;
}
