import { z } from 'zod';
import { op } from '../define';
import type { DriftResult, HealthResult, LogStats, PerformanceResult, PrunePreview, PruneResult } from '../shared/monitoring';
import { CsvReadOptionsSchema } from './data';
import { NameSchema, VersionSchema } from './registry';

export type * from '../shared/monitoring';

/** Omitted: the registry's only model; several models need a name (see backend/registry/pick-model.ts). */
const ModelField = NameSchema.optional();
const EpochMs = z.number().min(0);

/**
 * The current window of a drift report. Log windows read the prediction log;
 * `scope: 'version'` (default) keeps only predictions of the compared version,
 * `'model'` takes every version of the model (the data is the same readings
 * whichever version scored them).
 */
export const DriftCurrentSchema = z.union([
  z.object({ datasetId: z.string().min(1) }).strict(),
  /** A CSV; `csv` says how to read it (each setting inferred when omitted, as for data.import). */
  z.object({ path: z.string().min(1), csv: CsvReadOptionsSchema.optional() }).strict(),
  z.object({ lastN: z.number().int().min(10).max(10_000_000), scope: z.enum(['version', 'model']).default('version') }).strict(),
  z
    .object({
      fromMs: EpochMs,
      toMs: EpochMs,
      scope: z.enum(['version', 'model']).default('version'),
      /** 'data' (default): readings whose own timestamp is in [fromMs, toMs); 'scoring': readings scored then. */
      time: z.enum(['data', 'scoring']).default('data'),
    })
    .strict()
    .refine((r) => r.toMs > r.fromMs, { message: 'toMs must be after fromMs', path: ['toMs'] }),
]);
export type DriftCurrent = z.input<typeof DriftCurrentSchema>;

export const DriftReportInputSchema = z
  .object({
    model: ModelField,
    version: VersionSchema.optional(),
    alias: NameSchema.optional(),
    /** A reference CSV instead of the version's stored profile (no registry needed). */
    reference: z
      .object({ path: z.string().min(1), csv: CsvReadOptionsSchema.optional() })
      .strict()
      .optional(),
    current: DriftCurrentSchema,
    features: z.array(z.string().min(1)).min(1).max(500).optional(),
    /** Drift over time: 'auto' picks hour/day/week from the data's time span, 'none' skips it. */
    chunkBy: z.enum(['auto', 'hour', 'day', 'week', 'rows', 'none']).default('auto'),
    chunkRows: z.number().int().min(10).max(10_000_000).optional(),
    /** Only this building's readings (log windows: its logged building; datasets: its id); the reference stays the fleet's profile. */
    building: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((r) => !(r.version && r.alias), { message: 'give a version or an alias, not both', path: ['alias'] });

export const PerformanceInputSchema = z
  .object({
    model: ModelField,
    lastN: z.number().int().min(1).max(100_000_000).optional(),
    fromMs: EpochMs.optional(),
    toMs: EpochMs.optional(),
  })
  .strict();

/** Drift and monitoring operations (ARCHITECTURE §6): drift reports, performance, health, the prediction log. */
export const monitoringOps = {
  /** Drift of a current window against a reference; thresholds come from the settings at call time. */
  'drift.report': op<DriftResult>()(() => DriftReportInputSchema, { long: true }),
  /** Latency, throughput, anomaly rate, hourly trends and accuracy over logged predictions. */
  'monitoring.performance': op<PerformanceResult>()(() => PerformanceInputSchema),
  /** Health of the model's current version (production alias, else the newest): drives the Overview and the header badge. */
  'monitoring.health': op<HealthResult>()(() => z.object({ model: ModelField }).strict()),
  /** Segments, records, torn records and bytes of the prediction log. */
  'monitoring.logStats': op<LogStats>()(() => z.object({}).strict()),
  /** Applies the hot window and retention settings to the prediction log now. */
  'monitoring.prune': op<PruneResult>()(() => z.object({}).strict()),
  /** What monitoring.prune would remove now (count, request-time range, bytes), removing nothing. */
  'monitoring.prunePreview': op<PrunePreview>()(() => z.object({}).strict()),
};
