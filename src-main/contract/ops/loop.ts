import { z } from 'zod';
import { op } from '../define';
import type { AutomationStatus, EvaluationResult, JobRecord, ScheduleInfo, WatchRunResult } from '../shared/loop';
import { RETRAIN_TRIGGERS } from '../shared/loop';
import { DEFAULT_ALIAS } from '../shared/registry';
import { CsvReadOptionsSchema } from './data';
import { NameSchema, VersionSchema } from './registry';

export type * from '../shared/loop';

/** Automation (issue 12): evaluate a challenger, the promotion policy, watched folders, the job history. */

const EpochMs = z.number().min(0);

/** Training-data window in data time (the readings' own timestamps), [fromMs, toMs]. */
export const DataWindowSchema = z
  .object({ fromMs: EpochMs, toMs: EpochMs })
  .strict()
  .refine((w) => w.toMs > w.fromMs, { message: 'toMs must be after fromMs', path: ['toMs'] });

/** What a training records as its lineage; omitted fields are filled in (parent: production, trigger: manual). */
export const LineageInputSchema = z
  .object({
    parent: VersionSchema.nullable().optional(),
    trigger: z.enum(RETRAIN_TRIGGERS).default('manual'),
    reason: z.string().trim().min(1).max(500).optional(),
    source: z.string().min(1).max(500).optional(),
  })
  .strict();

/**
 * policy.json (and `watch --policy FILE`): every field has a default, so
 * `{ "retrain": { "onDrift": true }, "promote": { "auto": true } }` is a whole policy.
 */
export const PolicySchema = z
  .object({
    retrain: z
      .object({
        /** Train a challenger when a watched file drifts against production's profile. */
        onDrift: z.boolean().default(true),
        /**
         * Also when production flags a share of a watched file outside promote.rules' anomaly-rate band (it follows
         * onDrift: a policy with onDrift false retrains on neither unless this is set true).
         */
        onRate: z.boolean().optional(),
        /**
         * Days of data time (ending where the evaluation days start) the challenger is trained on. Default: 365 for the
         * contextual detector (a temperature baseline needs a year of seasons, as ASHRAE Guideline 14 fits one), 28 for
         * the forest; never less than the contextual detector's own 28-day baseline minimum.
         */
        window: z.number().int().min(1).max(3650).optional(),
        /**
         * Days of data time at the end of the drifted file kept out of the challenger's training: both versions are
         * evaluated on them, so neither is judged on rows it was fitted to (0: evaluate on the whole file, as before).
         */
        evaluateDays: z.number().int().min(0).max(365).default(7),
      })
      .strict()
      .prefault({}),
    promote: z
      .object({
        /** Promote a challenger that passes every rule; otherwise it stays a candidate. */
        auto: z.boolean().default(false),
        alias: NameSchema.default(DEFAULT_ALIAS),
        rules: z
          .object({
            /** F1 may not drop by more than this (absolute), with labels. */
            f1MaxDrop: z.number().min(0).max(1).default(0.01),
            /** ROC AUC may not drop by more than this (0 = not worse), with labels. */
            aucMaxDrop: z.number().min(0).max(1).default(0),
            /** Target anomaly rate; default the champion's contamination (its expected share of anomalies), else 1 %. */
            anomalyRateTarget: z.number().gt(0).max(1).optional(),
            /** The challenger's anomaly rate must be within ± this share of the target (0.5 = ±50 %). */
            anomalyRateBand: z.number().min(0).max(10).default(0.5),
            /** p95 scoring latency may rise by at most this share (0.2 = 20 %). */
            latencyMaxIncrease: z.number().min(0).max(100).default(0.2),
            /**
             * F1 and AUC "not worse": 'interval' fails only when the paired bootstrap 95 % interval of the difference
             * shows the drop (a week of readings holds few labelled faults); 'point' compares the point estimates.
             */
            judge: z.enum(['interval', 'point']).default('interval'),
            /** When production is itself outside the anomaly-rate band, a challenger strictly nearer the target passes that rule. */
            rateCloser: z.boolean().default(true),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Cron expressions (5 or 6 fields) run while `greenlens watch` (or the app) is running. */
    schedule: z
      .array(z.object({ cron: z.string().min(1).max(100), task: z.enum(['watch', 'retrain']).default('watch') }).strict())
      .max(50)
      .default([]),
    /** Folders watched for new CSV or Parquet files. */
    folders: z
      .array(z.object({ path: z.string().min(1), model: NameSchema.optional() }).strict())
      .max(50)
      .default([]),
  })
  .strict();
export type PolicyInput = z.input<typeof PolicySchema>;

/** An evaluation set: a loaded dataset, a CSV/Parquet file, or the logged readings of a data-time window. */
export const EvaluationDataSchema = z.union([
  z.object({ datasetId: z.string().min(1) }).strict(),
  z.object({ path: z.string().min(1), csv: CsvReadOptionsSchema.optional() }).strict(),
  z.object({ fromMs: EpochMs, toMs: EpochMs }).strict(),
]);

export const EvaluateInputSchema = z
  .object({
    model: NameSchema.optional(),
    challenger: VersionSchema,
    /** An alias or a version; default the policy's alias (production). */
    champion: z.string().min(1).max(64).optional(),
    data: EvaluationDataSchema,
    /** Only rows with a known label. */
    labelledOnly: z.boolean().default(false),
    resamples: z.number().int().min(10).max(5000).default(200),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    /** Keep the result in jobs.ndjson (an evaluation a promotion can cite). */
    record: z.boolean().default(true),
  })
  .strict();

export const WatchRunInputSchema = z
  .object({
    folder: z.string().min(1),
    model: NameSchema.optional(),
    /** A policy file of the same shape as policy.json; default the registry's policy. */
    policyPath: z.string().min(1).optional(),
    /** A file whose size or time changed within this many ms is left for the next run. */
    settleMs: z.number().int().min(0).max(600_000).default(1000),
  })
  .strict();

export const loopOps = {
  /** Champion and challenger on the same rows: P/R/F1/AUC with bootstrap intervals, or anomaly rate, agreement and shift. */
  'model.evaluate': op<EvaluationResult>()(() => EvaluateInputSchema, { long: true }),
  /** The registry's policy.json with every default filled in, and the schedules' next runs. */
  'policy.get': op<{ policy: z.output<typeof PolicySchema>; stored: boolean; schedules: ScheduleInfo[] }>()(() => z.object({}).strict()),
  /** Validates and writes policy.json atomically. */
  'policy.set': op<{ policy: z.output<typeof PolicySchema>; schedules: ScheduleInfo[] }>()(() =>
    z.object({ policy: PolicySchema }).strict(),
  ),
  /** One pass over a folder: every new file scored, checked for drift and health, then retrain/evaluate/promote per policy. */
  'watch.run': op<WatchRunResult>()(() => WatchRunInputSchema, { long: true }),
  /** The in-app watcher: paused, idle or watching, the pass in progress and the last one. */
  'automation.status': op<AutomationStatus>()(() => z.object({}).strict()),
  /** Cancels the in-app watcher's pass in progress (the file is resumed by the next pass). */
  'automation.cancel': op<{ cancelled: boolean }>()(() => z.object({}).strict()),
  /** jobs.ndjson folded by job, newest first. */
  'jobs.history': op<{ jobs: JobRecord[] }>()(() => z.object({ limit: z.number().int().min(1).max(10_000).default(200) }).strict()),
};
