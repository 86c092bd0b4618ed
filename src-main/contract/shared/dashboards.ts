/**
 * Custom dashboards (ARCHITECTURE §4, `dashboards.json`): charts a person pinned,
 * each a metric of one model over a window, in the order they arranged them.
 */

/** What a pinned chart can plot; each is a series the Performance or Drift tab also draws. */
export const DASHBOARD_METRICS = ['anomaly-rate', 'anomalies', 'predictions', 'latency-p95', 'drifted-share'] as const;
export type DashboardMetric = (typeof DASHBOARD_METRICS)[number];

export const DASHBOARD_METRIC_LABELS: Record<DashboardMetric, string> = {
  'anomaly-rate': 'Anomaly rate',
  anomalies: 'Flagged readings',
  predictions: 'Predictions',
  'latency-p95': 'Latency p95 (ms)',
  'drifted-share': 'Share of drifted features',
};

export const DASHBOARDS_FORMAT = 'greenlens-dashboards';
export const DASHBOARDS_FORMAT_VERSION = 1;
export const MAX_DASHBOARD_CHARTS = 50;

export interface DashboardChart {
  id: string;
  metric: DashboardMetric;
  model: string;
  /** A building id, or null for the whole fleet (per-building series are not drawn yet: only null is offered). */
  building: string | null;
  /** The last N logged predictions of the model. */
  window: { lastN: number };
}

export interface Dashboard {
  id: string;
  name: string;
  charts: DashboardChart[];
}

/** Exactly what `dashboards.json` holds. */
export interface DashboardsFile {
  format: typeof DASHBOARDS_FORMAT;
  formatVersion: number;
  updatedAt: string;
  dashboards: Dashboard[];
}
