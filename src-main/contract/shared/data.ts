/**
 * Datasets, CSV import and the simulator: the shapes and constants the UI, the CLI
 * and core share. Part of the contract's zod-free leaf (see ../index.ts).
 */

export const DRIFT_SCENARIOS = ['none', 'heatwave', 'equipment', 'sensor-degradation'] as const;
export type DriftScenario = (typeof DRIFT_SCENARIOS)[number];

/** `basic`: the short office-hours simulator; `year`: whole years of buildings of several kinds (README "The simulated data"). */
export const SIMULATION_PROFILES = ['basic', 'year'] as const;
export const BUILDING_KINDS = ['office', 'school', 'retail', 'hospital'] as const;
export type BuildingKind = (typeof BUILDING_KINDS)[number];

/** A seed of the simulator and the trainer: any uint32. */
export const SEED = { min: 0, max: 2 ** 32 - 1, default: 42 } as const;

/** Bounds and defaults of `data.simulate`: its schema, the CLI and the form read them here. */
export const SIMULATE = {
  buildings: { min: 1, max: 500, default: 3 },
  days: { min: 1, max: 3650, default: 30 },
  seed: SEED,
  anomalyRate: { min: 0, max: 0.5, default: 0.01 },
} as const;

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

/** Per-id charts draw the first `CHART_GROUPS` ids: how many are drawn of how many there are. */
export interface ChartGroups {
  groups?: { shown: number; total: number };
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
  chart: ChartGroups & { column: string; series: Series[] };
  /** Anomalies labelled in the data, when a label column exists. */
  labelledAnomalies: number | null;
  createdAt: string;
  /** How an imported CSV was read (imported datasets only). */
  import?: ImportReportInfo;
  /** The file it was imported from, as the user named it; null when generated. */
  sourceFile?: string | null;
  /** Kept in the registry (survives a restart and travels with an export), or only in this session's memory. */
  stored?: boolean;
}

export const COLUMN_ROLES = ['feature', 'timestamp', 'id', 'label', 'ignored'] as const;
export const MISSING_POLICIES = ['drop', 'impute-median', 'impute-zero'] as const;
export type MissingPolicyName = (typeof MISSING_POLICIES)[number];

/** Text encodings a CSV may be read as; `auto` detects (BOM, valid UTF-8, else Windows-1252). */
export const CSV_ENCODINGS = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin1'] as const;
export type CsvEncodingName = (typeof CSV_ENCODINGS)[number];
/** Decimal separator of numbers; `auto` infers it from the sampled cells. */
export const DECIMAL_SEPARATORS = ['auto', '.', ','] as const;
export type DecimalSeparator = Exclude<(typeof DECIMAL_SEPARATORS)[number], 'auto'>;
/** Date field order; `dd/mm/yyyy` and `mm/dd/yyyy` accept `.`, `/` or `-` between fields. `auto` infers it. */
export const DATE_FORMATS = ['auto', 'iso', 'dd/mm/yyyy', 'mm/dd/yyyy'] as const;
export type DateFormatName = Exclude<(typeof DATE_FORMATS)[number], 'auto'>;
export const RAGGED_POLICIES = ['error', 'skip'] as const;

/** How a CSV's text was read: each setting as chosen or as inferred, with the reason shown to the user. */
export interface CsvReadingInfo {
  encoding: Exclude<CsvEncodingName, 'auto'>;
  delimiter: string;
  decimal: DecimalSeparator;
  dateFormat: DateFormatName;
  /** Which settings were inferred (the rest were given). */
  inferred: { encoding: boolean; delimiter: boolean; decimal: boolean; dateFormat: boolean };
  /** One line per setting saying what was chosen and why, e.g. "decimal ',' (inferred: 48 cells like 6,3)". */
  notes: string[];
}

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
  /** Encoding, delimiter, decimal separator and date format used, and why. */
  reading: CsvReadingInfo;
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
  /** Encoding, delimiter, decimal separator and date format used, and why. */
  reading: CsvReadingInfo;
  /** File size in bytes. */
  bytes: number;
  /** The schema used: inferred types, roles and storage kinds (kind null = not stored). */
  columns: InferredColumnInfo[];
  /** Header columns not stored (free text). */
  droppedColumns: string[];
  warnings: string[];
}

/** An empty record keyed by column names: no prototype, so `__proto__` is an ordinary key. */
export function columnRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
