/**
 * The per-building view (ARCHITECTURE §6c): one building's readings with the
 * expected load and flags (Data), its logged anomaly rate, figures and alerts
 * (Performance). Zod-free; the schemas are in ops/buildings.ts.
 */
import type { AlertRule, AlertView } from './alerts';
import type { Series } from './data';
import type { TrendPointView } from './monitoring';

/** Charts of one building stay under this many points per series, whatever the data's length. */
export const BUILDING_CHART_POINTS = { min: 50, max: 5_000, default: 1_200 } as const;
/** Flagged readings marked on the chart at most (spread evenly over the flagged ones when there are more). */
export const MAX_FLAG_MARKERS = 500;

/** Which buildings a picker can offer: the registry's logged buildings, and the dataset's ids. */
export interface BuildingList {
  /** Names of predictions/buildings.json, in first-seen order. */
  logged: string[];
  /** The dataset's id column values (null when no dataset was asked for, or it has no id column). */
  dataset: string[] | null;
}

/** One building's readings of a dataset over data time, already thinned for a chart. */
export interface BuildingReadings {
  datasetId: string;
  building: string;
  /** The meter drawn. */
  column: string;
  /** The building's rows in the dataset. */
  rows: number;
  fromMs: number | null;
  toMs: number | null;
  /** The readings, min and max per bucket when there are more than the chart's points. */
  readings: Series;
  /** The contextual version's baseline for this meter (same thinning); null for a forest version or without a model. */
  expected: Series | null;
  /** Why there is no expected load, in words; null when there is one. */
  expectedNote: string | null;
  /** Flagged readings of the building (all of them, though at most MAX_FLAG_MARKERS are marked). */
  flagged: number;
  flags: Array<{ x: number; y: number }>;
  /** True when the series were thinned (each bucket keeps its minimum and maximum). */
  downsampled: boolean;
  model: string | null;
  version: string | null;
  algorithm: 'contextual' | 'isolation-forest' | null;
  elapsedMs: number;
}

/** An alert rule as it applies to one building. */
export interface BuildingRule {
  rule: AlertRule;
  /** 'building': the rule names this building; 'each-building': a building rule without a name watches every building apart; 'fleet': a model-wide rule. */
  scope: 'building' | 'each-building' | 'fleet';
}

/** One building's logged readings under a model: rate over data time, figures, alerts. */
export interface BuildingDetail {
  model: string;
  building: string;
  readings: number;
  anomalies: number;
  anomalyRate: number | null;
  /** The whole model's rate over the same window, for comparison. */
  fleetRate: number | null;
  /** 1 = most flagged readings of the fleet; null when the building has none logged. */
  rank: number | null;
  buildings: number;
  dataTimeRange: { fromMs: number; toMs: number } | null;
  /** Readings and flags per bucket of data time (UTC hours, widened to stay under the point cap). */
  trend: { bucketMs: number; points: TrendPointView[] };
  versions: string[];
  /** Drift of its newest logged readings against the current version's reference (the fleet's profile); null when too few. */
  driftScore: number | null;
  driftedFeatures: string[];
  /** Rules that can raise an alert about this building, and the model-wide ones. */
  rules: BuildingRule[];
  /** Alerts whose subject is this building. */
  alerts: AlertView[];
  /** The model's fleet-wide alerts (about the whole model, not one building). */
  fleetAlerts: AlertView[];
  elapsedMs: number;
}
