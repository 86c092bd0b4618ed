/**
 * What a report holds (ARCHITECTURE §6b): the backend gathers it from the
 * registry and the prediction log, core renders it to one HTML file.
 */
import type { DriftResult, HealthResult, PerformanceResult } from './monitoring';
import type { CompareResult, DeploymentEvent, VersionList } from './registry';

/** Report files end in one of these; anything else is refused with the list. */
export const REPORT_FORMATS = ['html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** One alert of the period, read from `alerts/events.ndjson` (whatever fields the alert log carries). */
export interface ReportAlert {
  time: string;
  level: string;
  rule: string;
  message: string;
  status: string;
}

/** Anomalies of one building over the period, from the readings the log holds. */
export interface ReportBuilding {
  id: string;
  readings: number;
  anomalies: number;
  anomalyRate: number;
}

/** Flagged readings per UTC day of data time (the readings' own timestamps). */
export interface DailyAnomalies {
  dayMs: number;
  readings: number;
  anomalies: number;
}

export interface ReportData {
  generatedAt: string;
  registry: string;
  model: string;
  /** Data time [fromMs, toMs) the report covers; null = from the first / to the last reading. */
  period: { fromMs: number | null; toMs: number | null; label: string };
  health: HealthResult;
  /** Drift of the period's readings against the current version's reference; null with `driftNote` saying why. */
  drift: DriftResult | null;
  driftNote: string | null;
  performance: PerformanceResult;
  daily: DailyAnomalies[];
  /** Which features drove the period's flags (explanation log). */
  explanations: ExplanationSummary;
  /** Null when the readings carry no building ids (with `buildingsNote`). */
  buildings: ReportBuilding[] | null;
  buildingsNote: string | null;
  versions: VersionList;
  deployments: DeploymentEvent[];
  /** The newest version against the one before it; null with fewer than two versions. */
  comparison: CompareResult | null;
  /** null when the registry has no alert log. */
  alerts: ReportAlert[] | null;
}

/** What `report.build` wrote. */
export interface ReportResult {
  path: string;
  bytes: number;
  model: string;
  /** Section ids in the file, in order. */
  sections: string[];
  elapsedMs: number;
}

/** What `predictions.export` wrote. */
export interface ReadingsExport {
  path: string;
  rows: number;
  bytes: number;
  model: string;
}

/** One building of the fleet table (buildings.fleet). */
export interface FleetBuilding {
  id: string;
  readings: number;
  anomalies: number;
  anomalyRate: number;
  /** Drift of its newest logged readings against the current version's reference; null when too few. */
  driftScore: number | null;
  driftedFeatures: string[];
}

export interface FleetResult {
  model: string;
  /** The version whose reference drift is judged against; null when the model has none. */
  version: string | null;
  /** Most flagged readings first, then most drift. */
  buildings: FleetBuilding[];
  /** Logged readings with no building (scored without an id column, or logged before buildings were recorded). */
  unknownReadings: number;
  elapsedMs: number;
}

/** Which features drove a model's flags (predictions.explanations), from the explanation log. */
export interface ExplanationSummary {
  model: string;
  /** Flagged readings with a logged explanation in the window. */
  flagged: number;
  /** Most flags led first. */
  features: Array<{ feature: string; leading: number; leadingShare: number; meanShare: number }>;
  /** "hvac_kw drove 61 % of the 120 explained flags." */
  sentence: string;
  /** Per ISO week (Monday 00:00 UTC, by the readings' own time), oldest first; absent from older backends. */
  weeks?: ExplanationWeek[];
  /** Flags per ensemble member that raised them (contextual versions' log lines carry it). */
  members?: Record<string, number>;
}

export interface ExplanationWeek {
  /** Monday 00:00 UTC, epoch ms. */
  weekStart: number;
  flagged: number;
  /** The feature that led most of the week's flags, with its share of them. */
  feature: string;
  leadingShare: number;
  /** "hvac_kw drove 61 % of the week's flags (week of 2024-03-04, 120 flags)." */
  sentence: string;
}
