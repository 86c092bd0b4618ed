import type { RetrainAction } from './loop';
/**
 * Shapes of drift reports, performance summaries and health that cross the
 * contract (ARCHITECTURE §6). The pure core computes them (core/drift, core/monitoring);
 * these declarations are what the UI and the CLI may rely on, and the core
 * modules take their result types from here (the renderer's type program has
 * no Node types, so the shapes cannot live beside the node:fs code).
 */

import type { FeedbackSummary } from './alerts';
import type { CsvReadingInfo } from './data';
import { DAY_MS } from './time';

export type HealthStatus = 'healthy' | 'warning' | 'critical';
export type ChunkBy = 'hour' | 'day' | 'week' | { rows: number };

export const CORRECTIONS = ['none', 'bonferroni', 'benjamini-hochberg'] as const;

/** The drift rule's thresholds (core/drift/rule.ts applies them; the settings hold the user's). */
export interface DriftThresholdsView {
  /** PSI at or above this flags the feature on its own (ARCHITECTURE §6 default 0.1). */
  psi: number;
  /** KS (or chi-square) adjusted p-value below this counts as significant. */
  ksPValue: number;
  /** Minimum effect, in reference standard deviations, for a significant test to count. */
  effectSize: number;
  correction: (typeof CORRECTIONS)[number];
  /** Share of drifted features at or above which the dataset counts as drifted. */
  datasetDriftShare: number;
}

/** The defaults: of the settings schema, and of core when a caller gives none. */
export const DEFAULT_DRIFT_THRESHOLDS: Readonly<DriftThresholdsView> = {
  psi: 0.1,
  ksPValue: 0.05,
  effectSize: 0.1,
  correction: 'benjamini-hochberg',
  datasetDriftShare: 0.5,
};

/** Overlay histogram: reference and current share the same `edges`. */
export interface HistogramView {
  edges: number[];
  counts: number[];
  proportions: number[];
}

export interface FeatureDriftView {
  name: string;
  /** 'categorical' when the reference has ≤ 20 distinct values: chi-square decides instead of KS. */
  kind: 'continuous' | 'categorical';
  psi: number;
  ks: {
    statistic: number;
    pValue: number;
    /** Corrected p-value when KS is this feature's decision test, null for categorical features. */
    pAdjusted: number | null;
    method: 'exact' | 'asymp';
  };
  /** |Δmean| / σ_ref. */
  meanShift: number;
  /** Current mean − reference mean, in the feature's own unit (signed). */
  meanDelta: number;
  /** Wasserstein distance / σ_ref. */
  wasserstein: number;
  /** Wasserstein distance in the feature's own unit. */
  wassersteinRaw: number;
  /** Jensen–Shannon distance on the PSI bins, natural-log base (0 … 0.833). */
  jensenShannon: number;
  chiSquare?: { statistic: number; dof: number; pValue: number; pAdjusted: number };
  drifted: boolean;
  reasons: string[];
  firedTests: Array<'psi' | 'ks' | 'chiSquare'>;
  notes: string[];
  referenceHistogram: HistogramView;
  currentHistogram: HistogramView;
  counts: {
    reference: number;
    referenceMissing: number;
    current: number;
    currentMissing: number;
    /** Reference values behind KS/Wasserstein: all of them, or the profile sample. */
    referenceUsedForKs: number;
  };
}

export interface DriftReportView {
  rule: string;
  thresholds: DriftThresholdsView;
  /**
   * 'profile': PSI from the stored bins (exact); KS and Wasserstein on the stored sample. 'season': the profile's
   * training readings of the same weeks of the year as the current readings (a version trained on a year; `season`).
   */
  referenceSource: 'raw' | 'profile' | 'season';
  /** With 'season': the sampled training readings matched and the days of the year they cover. */
  season?: { rows: number; days: number };
  features: FeatureDriftView[];
  /** Requested features that could not be assessed, with the reason. */
  skipped: Array<{ name: string; reason: string }>;
  driftedFeatures: string[];
  /** Drifted / assessed features (0 when none could be assessed). */
  driftedShare: number;
  datasetDrift: boolean;
  /** In [0, 1]: mean over assessed features of min(1, PSI / (2 · PSI threshold)). */
  driftScore: number;
  driftScoreRule: string;
  /** One line per drifted feature. */
  alerts: string[];
}

export interface ChunkDriftView {
  index: number;
  /** Time span [start, end) in epoch ms for time chunks; null for row chunks. */
  start: number | null;
  end: number | null;
  /** Row span [rowStart, rowEnd) for row chunks; null for time chunks. */
  rowStart: number | null;
  rowEnd: number | null;
  rows: number;
  assessed: boolean;
  driftedShare: number;
  datasetDrift: boolean;
  features: Array<{ name: string; psi: number; drifted: boolean; firedTests: string[] }>;
}

export interface DriftTrendView {
  rule: string;
  by: ChunkBy;
  /** How many base periods (or how many rows) ended up in one chunk after the point cap. */
  chunkWidth: number;
  features: string[];
  chunks: ChunkDriftView[];
}

/** What a drift report compared: the reference side. */
export type ReferenceSourceInfo =
  { kind: 'profile'; model: string; version: string; rows: number } | { kind: 'csv'; path: string; rows: number; reading?: CsvReadingInfo };

/** What a drift report compared: the current side. */
export type CurrentSourceInfo =
  | {
      kind: 'log';
      /** The window asked for, in words ("last 10,000 predictions of 1.0.0"). */
      window: string;
      rows: number;
      /** About 1 in `sampledEvery` readings was kept: a window larger than the cap, or one widened to a week (see LogWindow). */
      sampledEvery: number;
      versions: string[];
      fromMs: number | null;
      toMs: number | null;
    }
  | { kind: 'dataset'; datasetId: string; name: string; rows: number }
  | { kind: 'csv'; path: string; rows: number; reading?: CsvReadingInfo };

export interface DriftResult extends DriftReportView {
  model: string | null;
  version: string | null;
  reference: ReferenceSourceInfo;
  current: CurrentSourceInfo;
  /** Drift over time; null when not asked for or the current data has no rows. */
  trend: DriftTrendView | null;
  /**
   * The building the current side was restricted to. The reference is the
   * version's training profile of every building (profiles are not kept per
   * building), so this is one building against the fleet's reference.
   */
  building?: { id: string; reference: 'fleet' };
  elapsedMs: number;
}

/** A request of at most this many readings is online; more is a batch. */
export const ONLINE_MAX_ROWS = 10;

export interface LatencyStatsView {
  requests: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One bucket of readings by data time (the readings' own timestamps, UTC). */
export interface TrendPointView {
  startMs: number;
  /** Exclusive. */
  endMs: number;
  predictions: number;
  anomalies: number;
}

/** One bucket of scoring requests by scoring time (when they ran, UTC): latency only means something there. */
export interface LatencyTrendPointView {
  startMs: number;
  /** Exclusive. */
  endMs: number;
  requests: number;
  predictions: number;
  latencyMeanMs: number;
  latencyP95Ms: number;
}

export interface ClassificationView {
  labelled: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** null when nothing was flagged among labelled readings. */
  precision: number | null;
  /** null when no labelled reading is an anomaly. */
  recall: number | null;
  f1: number | null;
}

/** Requests and readings of one kind (see PerformanceView). */
export interface RequestKindCount {
  requests: number;
  readings: number;
}

export interface VersionPerformanceView {
  model: string;
  version: string;
  requests: number;
  predictions: number;
  anomalies: number;
  anomalyRate: number | null;
  /** Per-request latency of this version's online requests. */
  latency: LatencyStatsView | null;
  /** Latency per reading (ms) of this version's batches, one value per batch. */
  readingLatency: LatencyStatsView | null;
  firstMs: number | null;
  lastMs: number | null;
}

/**
 * Requests are online (at most ONLINE_MAX_ROWS readings: a person or a system
 * waiting on an answer) or batch (more: a file scored at once). Online requests
 * are judged by their latency; a batch by its latency per reading, since 154 ms
 * for 2,160 readings is fast, not slow. Percentiles are nearest-rank: each is a
 * latency some request had.
 */
export interface PerformanceView {
  predictions: number;
  requests: number;
  anomalies: number;
  anomalyRate: number | null;
  /** Per-request latency of online requests; null when there were none. */
  latency: LatencyStatsView | null;
  /** Latency per reading (ms) of batch requests, one value per batch; null when there were none. */
  readingLatency: LatencyStatsView | null;
  online: RequestKindCount;
  batch: RequestKindCount;
  /** Readings per second of scoring time (the sum of request latencies), not of the time between requests. */
  throughputPerSec: number | null;
  /** Scoring time: first request to the end of the last. */
  timeRange: { fromMs: number; toMs: number } | null;
  /** Data time: the first and last reading's own timestamp (the request time for readings logged without one). */
  dataTimeRange: { fromMs: number; toMs: number } | null;
  /** Predictions and anomalies by data time. */
  trend: { bucketMs: number; points: TrendPointView[] };
  /** Request latency by scoring time. */
  latencyTrend: { bucketMs: number; points: LatencyTrendPointView[] };
  classification: ClassificationView | null;
  /** In log order of first appearance. */
  byVersion: VersionPerformanceView[];
}

export interface LogStats {
  segments: number;
  records: number;
  /** Readings cut off by a crash mid-append, ignored on read. */
  tornRecords: number;
  bytes: number;
  versions: Array<{ model: string; version: string; records: number }>;
}

export interface PerformanceResult extends PerformanceView {
  model: string;
  /** The window in words ("all 1,204 logged predictions"). */
  window: string;
  log: LogStats;
  elapsedMs: number;
  /** Verdicts people gave on this model's flags (feedback.ndjson): precision where no labels were logged. */
  feedback: FeedbackSummary;
}

export interface HealthAlertView {
  level: 'warning' | 'critical';
  message: string;
  feature?: string;
}

/** The drift part of health: the compact form the Overview needs. */
export interface HealthDrift {
  version: string;
  rows: number;
  /** Data time (the readings' own timestamps, epoch ms UTC) the window spans; null when unknown. */
  fromMs: number | null;
  toMs: number | null;
  driftScore: number;
  driftedShare: number;
  datasetDrift: boolean;
  driftedFeatures: string[];
  features: Array<{ name: string; psi: number; drifted: boolean }>;
  /** Set when the window was judged against the training readings of the same weeks of the year (DriftReportView.season). */
  season?: { rows: number; days: number };
  /** k > 1: the last `driftWindow` readings spanned less than a week, so the window reaches back a week and keeps about 1 in k, at random. */
  sampledEvery: number;
}

/** A health check's drift window in a few words: "the last 10,000 predictions", or "10,000 predictions of the last 7 days (1 in 5 kept)". */
export function driftWindowWords(d: Pick<HealthDrift, 'rows' | 'sampledEvery' | 'fromMs' | 'toMs'>): string {
  const rows = d.rows.toLocaleString('en-US');
  if (d.sampledEvery <= 1 || d.fromMs === null || d.toMs === null) return `the last ${rows} predictions`;
  const days = Math.max(1, Math.round((d.toMs - d.fromMs) / DAY_MS));
  return `${rows} predictions of the last ${days === 1 ? 'day' : `${days} days`} (${keptWords(d.sampledEvery)})`;
}

/** "1 in 5 kept" for a window that kept about 1 in 5 of its readings. */
export function keptWords(sampledEvery: number): string {
  return `1 in ${sampledEvery.toLocaleString('en-US')} kept`;
}

export interface HealthResult {
  model: string;
  /** null when the model has no version yet. */
  version: string | null;
  alias: string | null;
  /** 'no-model' when the registry has no version of it yet: nothing to judge, so never "healthy". */
  status: HealthStatus | 'no-model';
  reasons: string[];
  recommendations: string[];
  alerts: HealthAlertView[];
  /** Last `driftWindow` predictions of the version vs its reference; null when too few are logged. */
  drift: HealthDrift | null;
  /** The last `hotWindow` predictions of the model; null when no version exists. */
  performance: PerformanceView | null;
  /** Predictions of the model in the whole log. */
  loggedPredictions: number;
  checkedAt: string;
  /** Recommendations that are actions: a retrain on the drifted readings' data-time window opens a prefilled training form. */
  actions?: RetrainAction[];
}

export interface PruneResult {
  /** Segments deleted whole. */
  removedSegments: number;
  /** Segments rewritten without their pruned predictions (more than half of them went). */
  compactedSegments: number;
  removedRecords: number;
  /** Disk space given back (files removed, segments compacted). */
  freedBytes: number;
  policy: { keepLast: number; olderThanMs: number | null };
  log: LogStats;
}

/** What "Prune now" would remove, for the confirmation: nothing is removed. */
export interface PrunePreview {
  removedSegments: number;
  compactedSegments: number;
  removedRecords: number;
  freedBytes: number;
  /** Request times of the predictions that would go (epoch ms, UTC); null when none. */
  fromMs: number | null;
  toMs: number | null;
  keptRecords: number;
  keptBytes: number;
  policy: { keepLast: number; olderThanMs: number | null };
}
