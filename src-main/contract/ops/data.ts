import { z } from 'zod';
import { op } from '../define';

export const DRIFT_SCENARIOS = ['none', 'heatwave', 'equipment', 'sensor-degradation'] as const;
export type DriftScenario = (typeof DRIFT_SCENARIOS)[number];

/** `basic`: the short office-hours simulator; `year`: whole years of buildings of several kinds (README "The simulated data"). */
export const SIMULATION_PROFILES = ['basic', 'year'] as const;
export const BUILDING_KINDS = ['office', 'school', 'retail', 'hospital'] as const;
export type BuildingKind = (typeof BUILDING_KINDS)[number];

export const SimulateInputSchema = z.object({
  profile: z.enum(SIMULATION_PROFILES).default('basic'),
  /** Profile `year` only: whole years of 365 days (then `days` is not used). */
  years: z.number().int().min(1).max(10).optional(),
  /** Profile `year` only: kinds given to buildings in turn; default all four. */
  kinds: z.array(z.enum(BUILDING_KINDS)).min(1).optional(),
  buildings: z.number().int().min(1).max(500).default(3),
  days: z.number().int().min(1).max(3650).default(30),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(42),
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
  /** How an imported CSV was read (imported datasets only). */
  import?: ImportReportInfo;
}

export const COLUMN_ROLES = ['feature', 'timestamp', 'id', 'label', 'ignored'] as const;
export const MISSING_POLICIES = ['drop', 'impute-median', 'impute-zero'] as const;
export type MissingPolicyName = (typeof MISSING_POLICIES)[number];

export type InferredType = 'number' | 'timestamp' | 'id' | 'label' | 'category' | 'text';

/** One header column as schema inference (or the user's override) sees it. */
export interface InferredColumnInfo {
  name: string;
  /** Position in the header (0-based). */
  index: number;
  type: InferredType;
  /** How the column is stored; null = free text, not stored. */
  kind: ColumnKind | null;
  role: ColumnRole;
  /** Why the type and role were chosen, shown next to the role picker. */
  reason: string;
}

/** A look at the start of a CSV for the import dialog. */
export interface CsvPreviewInfo {
  file: string;
  /** File size in bytes. */
  bytes: number;
  delimiter: string;
  header: string[];
  columns: InferredColumnInfo[];
  /** The first rows, cells as written in the file (quotes removed). */
  rows: string[][];
  /** Data rows in the file: counted when the whole file was read, else estimated from bytes per row. */
  estimatedRows: number;
  exactRows: boolean;
  warnings: string[];
}

/** What the import did: kept rows, dropped/imputed cells, warnings. */
export interface ImportReportInfo {
  file: string;
  /** Rows in the table. */
  rows: number;
  /** Rows dropped by the missing policy `drop`. */
  droppedRows: number;
  /** Rows skipped because their field count differed from the header (ragged: 'skip'). */
  raggedRows: number;
  /** Missing cells (empty, NA, null…) per kept column, dropped rows included. */
  missing: Record<string, number>;
  /** Cells that could not be read as the column's kind, per kept column. */
  nonNumeric: Record<string, number>;
  /** Cells filled by an impute policy, per number feature. */
  imputed: Record<string, number>;
  missingPolicy: MissingPolicyName;
  delimiter: string;
  /** File size in bytes. */
  bytes: number;
  /** The schema used: inferred types, roles and storage kinds (kind null = not stored). */
  columns: InferredColumnInfo[];
  /** Header columns not stored (free text). */
  droppedColumns: string[];
  warnings: string[];
}

const Roles = z.record(z.string().min(1), z.enum(COLUMN_ROLES));
/** One ASCII character; detected from the header line when omitted. */
const Delimiter = z
  .string()
  .length(1)
  .regex(/^[\x20-\x7e\t]$/, 'one printable ASCII character or a tab');

export const PreviewInputSchema = z.object({
  path: z.string().min(1),
  delimiter: Delimiter.optional(),
  roles: Roles.optional(),
  rows: z.number().int().min(1).max(500).default(50),
});

export const ImportInputSchema = z.object({
  path: z.string().min(1),
  roles: Roles.optional(),
  delimiter: Delimiter.optional(),
  missing: z.enum(MISSING_POLICIES).default('drop'),
  /** Rows with a wrong field count: fail (default, naming the line) or skip and count. */
  ragged: z.enum(['error', 'skip']).default('error'),
  /** Dataset name; default the file name (web uploads pass the original name). */
  name: z.string().trim().min(1).max(200).optional(),
});

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
  /** Header, inferred schema and first rows of a CSV, read from the start of the file only. */
  'data.preview': op<CsvPreviewInfo>()(PreviewInputSchema.strict()),
  /** Streams a CSV into a dataset (progress in bytes); the import report is in `info.import`. */
  'data.import': op<DatasetInfo>()(ImportInputSchema.strict(), { long: true }),
};
