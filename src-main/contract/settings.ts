import { z } from 'zod';
import { CORRECTIONS, DEFAULT_DRIFT_THRESHOLDS as drift } from './shared/monitoring';

/**
 * Settings shared by the Electron app (electron-store), web mode and the CLI
 * (conf). One schema; every store validates against it on read and write.
 */
export const ThresholdsSchema = z.object({
  psi: z.number().positive().max(10).default(drift.psi),
  ksPValue: z.number().gt(0).lt(1).default(drift.ksPValue),
  /** Effect-size floor: a KS hit only counts when |mean shift| (in reference std) or normalised Wasserstein reaches this. */
  effectSize: z.number().min(0).max(10).default(drift.effectSize),
  correction: z.enum(CORRECTIONS).default(drift.correction),
  /** Share of drifted features above which the dataset counts as drifted. */
  datasetDriftShare: z.number().min(0).max(1).default(drift.datasetDriftShare),
  /** p95 request latency (ms) of online requests above which health turns to warning. */
  latencyP95Ms: z.number().positive().default(250),
  /** p95 batch latency per reading (ms) above which health turns to warning. */
  readingLatencyP95Ms: z.number().positive().default(1),
  /** Anomaly rate above which health turns to warning. */
  anomalyRate: z.number().min(0).max(1).default(0.1),
});

export const WindowBoundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(640),
  height: z.number().int().min(480),
  maximized: z.boolean().default(false),
});

export const SettingsSchema = z.object({
  thresholds: ThresholdsSchema.default(ThresholdsSchema.parse({})),
  monitoring: z
    .object({
      /** Predictions kept in the hot window (the prototype kept 10,000). */
      hotWindow: z.number().int().min(100).max(10_000_000).default(10_000),
      /** Older segments are kept on disk until pruned; 0 = keep forever. */
      retentionDays: z.number().int().min(0).max(3650).default(0),
      /** Default current window for drift: the last N logged predictions. */
      driftWindow: z.number().int().min(10).max(10_000_000).default(10_000),
    })
    .default({ hotWindow: 10_000, retentionDays: 0, driftWindow: 10_000 }),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** Desktop notifications of alerts (Electron: native; web mode: the browser's, asked for when turned on). */
  alertNotifications: z.boolean().default(false),
  /** Web mode: the largest file the browser may upload, in MB. */
  maxUploadMb: z.number().int().min(1).max(100_000).default(1024),
  /** The app stops running the policy's watched folders and schedules (a headless `greenlens watch` is unaffected). */
  automationPaused: z.boolean().default(false),
  recentRegistries: z.array(z.string().min(1)).max(10).default([]),
  lastRegistry: z.string().min(1).optional(),
  windowBounds: WindowBoundsSchema.optional(),
});

export type Settings = z.output<typeof SettingsSchema>;
export type Thresholds = z.output<typeof ThresholdsSchema>;

/** A partial update: nested objects merge one level deep. */
export const SettingsPatchSchema = z.object({
  thresholds: ThresholdsSchema.partial().optional(),
  monitoring: z
    .object({
      hotWindow: z.number().int().min(100).max(10_000_000),
      retentionDays: z.number().int().min(0).max(3650),
      driftWindow: z.number().int().min(10).max(10_000_000),
    })
    .partial()
    .optional(),
  theme: z.enum(['system', 'light', 'dark']).optional(),
  alertNotifications: z.boolean().optional(),
  maxUploadMb: z.number().int().min(1).max(100_000).optional(),
  automationPaused: z.boolean().optional(),
  windowBounds: WindowBoundsSchema.optional(),
});
export type SettingsPatch = z.input<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

export function mergeSettings(current: Settings, patch: z.output<typeof SettingsPatchSchema>): Settings {
  return SettingsSchema.parse({
    ...current,
    ...(patch.theme ? { theme: patch.theme } : {}),
    ...(patch.maxUploadMb ? { maxUploadMb: patch.maxUploadMb } : {}),
    ...(patch.alertNotifications !== undefined ? { alertNotifications: patch.alertNotifications } : {}),
    ...(patch.automationPaused !== undefined ? { automationPaused: patch.automationPaused } : {}),
    ...(patch.windowBounds ? { windowBounds: patch.windowBounds } : {}),
    thresholds: { ...current.thresholds, ...patch.thresholds },
    monitoring: { ...current.monitoring, ...patch.monitoring },
  });
}

/** Most recent first, no duplicates, at most 10. */
export function pushRecent(list: readonly string[], path: string): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, 10);
}
