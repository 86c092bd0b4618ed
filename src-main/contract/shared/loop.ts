/**
 * Shapes of the automation loop (issue 12): lineage of a version, challenger
 * evaluation on the same data, the promotion policy, unattended watch runs and
 * the job history. Part of the contract's zod-free leaf (see ../index.ts).
 */

export const RETRAIN_TRIGGERS = ['drift', 'schedule', 'manual'] as const;
export type RetrainTrigger = (typeof RETRAIN_TRIGGERS)[number];

/** Where a version came from: recorded in its version.json at training time. */
export interface Lineage {
  /** The version it replaces (production when it was trained), null for a first version. */
  parent: string | null;
  trigger: RetrainTrigger;
  /** The training rows' data-time window (epoch ms, the readings' own timestamps); null without a time column. */
  window: { fromMs: number; toMs: number } | null;
  reason: string;
  /** A watched file that caused it (its name), when there was one. */
  source?: string;
}

/** A recommendation the user can act on: "Retrain on 1–28 Jun readings" opens a prefilled training form. */
export interface RetrainAction {
  type: 'retrain';
  label: string;
  model: string;
  parent: string;
  trigger: RetrainTrigger;
  fromMs: number;
  toMs: number;
  reason: string;
}

/** A 95 % bootstrap percentile interval. */
export interface Interval {
  low: number;
  high: number;
}

export interface LabelledFigures {
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number | null;
  ci: { precision: Interval; recall: Interval; f1: Interval; rocAuc: Interval | null };
  /** Of the readings labelled with each fault type, the share flagged. */
  recallByType: Record<string, number>;
}

/** One side of an evaluation: the same rows as the other side. */
export interface EvaluatedVersion {
  version: string;
  algorithm: string;
  rows: number;
  anomalies: number;
  anomalyRate: number;
  /** Wall time to score the evaluation set. */
  latencyMs: number;
  /** p95 of the per-chunk scoring time, in ms per 1,000 readings. */
  latencyP95MsPer1k: number;
  labelled: LabelledFigures | null;
}

export interface EvaluationResult {
  id: string;
  model: string;
  createdAt: string;
  data: { kind: 'dataset' | 'file' | 'log'; name: string; rows: number; labelled: number; fromMs: number | null; toMs: number | null };
  champion: EvaluatedVersion;
  challenger: EvaluatedVersion;
  /** The anomaly rate the policy aims for. */
  targetRate: number;
  /** Share of readings flagged by either version that both flag (1 when neither flags anything). */
  jaccard: number;
  /** Median over chunks of challenger ÷ champion scoring time on the same chunk (what the latency rule judges); null when not measured. */
  latencyRatio: number | null;
  /** KS statistic between the two score distributions. */
  scoreShift: { ks: number; pValue: number };
  /** Paired bootstrap intervals of challenger − champion, with labels. */
  delta: { f1: Interval; rocAuc: Interval | null } | null;
  bootstrap: { resamples: number; seed: number };
}

export interface RuleCheck {
  rule: 'f1' | 'auc' | 'anomalyRate' | 'latency';
  passed: boolean;
  /** Skipped rules (no labels, say) pass and say why. */
  skipped: boolean;
  message: string;
}

export interface PromotionDecision {
  passed: boolean;
  checks: RuleCheck[];
  /** The first failing rule's message, or null. */
  failing: string | null;
}

export const WATCH_ACTIONS = ['retrain', 'evaluate', 'promote', 'keep'] as const;
export interface WatchAction {
  type: (typeof WATCH_ACTIONS)[number];
  version: string;
  reason: string;
}

export interface WatchedFile {
  file: string;
  rows: number;
  anomalies: number;
  drift: { datasetDrift: boolean; drifted: string[] };
  health: string;
  actions: WatchAction[];
}

export interface WatchRunResult {
  processed: WatchedFile[];
  /** Files that could not be processed: recorded, never retried, the rest went on. */
  failed: { file: string; error: string }[];
  /** Files still growing (or too new), left for the next run. */
  pending: string[];
}

/** The in-app watcher (ARCHITECTURE §4a): what the Automation tab shows while the app is open. */
export interface AutomationStatus {
  /** The registry it serves, null when none is open. */
  registry: string | null;
  /** paused: the setting; idle: the policy names no folder or schedule (or cannot be read); watching: running. */
  state: 'paused' | 'idle' | 'watching';
  folders: string[];
  schedules: number;
  /** The pass in progress (one at a time), with its progress. */
  running: { jobId: string; folder: string; phase: string; done: number; total: number; startedAt: string; cancelling: boolean } | null;
  lastPass: { folder: string; endedAt: string; processed: number; failed: number; pending: number; cancelled: boolean } | null;
  /** Files processed and failed since the app started watching this registry. */
  totals: { processed: number; failed: number };
  /** Why it is idle or what the last pass failed with (a missing folder, a bad policy.json). */
  message: string | null;
}

export const JOB_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** One job as the history shows it (jobs.ndjson folded by id). */
export interface JobRecord {
  id: string;
  kind: 'watch-file' | 'evaluate' | 'retrain' | 'promote' | 'watch';
  trigger: RetrainTrigger | 'watch';
  status: JobStatus;
  startedAt: string;
  endedAt: string | null;
  model: string | null;
  file: string | null;
  /** Versions made or moved. */
  versions: string[];
  outcome: string;
  error?: string;
  /** The process that ran it: a `running` job whose process is gone reads as interrupted. */
  pid?: number;
  /** An evaluation's figures, so a deployment event can point at the job that justified it. */
  evaluation?: EvaluationResult;
}

export interface ScheduleInfo {
  cron: string;
  task: 'watch' | 'retrain';
  /** ISO time of the next run, null when the expression never fires. */
  nextRun: string | null;
  error?: string;
}
