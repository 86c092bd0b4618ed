import { z } from 'zod';
import { op } from '../define';

export const DRIFT_SCENARIOS = ['none', 'heatwave', 'equipment', 'sensor-degradation'] as const;
export type DriftScenario = (typeof DRIFT_SCENARIOS)[number];

export const SimulateInputSchema = z.object({
  buildings: z.number().int().min(1).max(500).default(3),
  days: z.number().int().min(1).max(3650).default(30),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42),
  anomalyRate: z.number().min(0).max(0.5).default(0.01),
  drift: z.enum(DRIFT_SCENARIOS).default('none'),
  /** First timestamp (ISO date); default 2025-01-06, a Monday. */
  start: z.iso.date().optional(),
  name: z.string().min(1).max(200).optional(),
});
export type SimulateInput = z.input<typeof SimulateInputSchema>;

export type ColumnRole = 'feature' | 'timestamp' | 'id' | 'label' | 'ignored';
export type ColumnKind = 'number' | 'time' | 'category';

export interface FeatureSummary {
  name: string;
  kind: ColumnKind;
  role: ColumnRole;
  count: number;
  missing: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  p50: number | null;
  max: number | null;
  /** For categories: distinct values (up to 20). */
  categories?: string[];
}

/** A point series already downsampled in the worker (≤ ~2,000 points). */
export interface Series {
  name: string;
  /** x values: epoch ms for time axes, row index otherwise. */
  x: number[];
  y: number[];
}

export interface DatasetInfo {
  id: string;
  name: string;
  source: 'simulated' | 'imported';
  rows: number;
  columns: { name: string; kind: ColumnKind; role: ColumnRole }[];
  summary: FeatureSummary[];
  /** First rows, for a preview table; cells as display strings. */
  preview: { header: string[]; rows: string[][] };
  /** total_kw (or the first feature) over time, one series per building/id. */
  chart: { column: string; series: Series[] };
  /** Anomalies labelled in the data, when a label column exists. */
  labelledAnomalies: number | null;
  createdAt: string;
}

export const SeriesInputSchema = z.object({
  datasetId: z.string().min(1),
  column: z.string().min(1),
  maxPoints: z.number().int().min(10).max(5000).default(2000),
});

export const ExportCsvInputSchema = z.object({
  datasetId: z.string().min(1),
  path: z.string().min(1),
});

export const dataOps = {
  'data.simulate': op<DatasetInfo>()(SimulateInputSchema.strict(), { long: true }),
  'data.list': op<{ datasets: DatasetInfo[] }>()(z.object({}).strict()),
  'data.get': op<DatasetInfo>()(z.object({ datasetId: z.string().min(1) }).strict()),
  'data.series': op<{ column: string; series: Series[] }>()(SeriesInputSchema.strict()),
  'data.exportCsv': op<{ path: string; rows: number; bytes: number }>()(ExportCsvInputSchema.strict(), { long: true }),
};
