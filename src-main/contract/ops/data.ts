import { z } from 'zod';
import { boundedInt, boundedNumber, op } from '../define';
import {
  BUILDING_KINDS,
  SIMULATION_PROFILES,
  COLUMN_ROLES,
  CSV_ENCODINGS,
  DATE_FORMATS,
  DECIMAL_SEPARATORS,
  DRIFT_SCENARIOS,
  MISSING_POLICIES,
  RAGGED_POLICIES,
  SIMULATE,
} from '../shared/data';
import type { ChartGroups, CsvPreviewInfo, DatasetInfo, Series } from '../shared/data';

export type * from '../shared/data';

export const SimulateInputSchema = z.object({
  profile: z.enum(SIMULATION_PROFILES).default('basic'),
  /** Profile `year` only: whole years of 365 days (then `days` is not used). */
  years: z.number().int().min(1).max(10).optional(),
  /** Profile `year` only: kinds given to buildings in turn; default all four. */
  kinds: z.array(z.enum(BUILDING_KINDS)).min(1).optional(),
  buildings: boundedInt(SIMULATE.buildings),
  days: boundedInt(SIMULATE.days),
  seed: boundedInt(SIMULATE.seed),
  anomalyRate: boundedNumber(SIMULATE.anomalyRate),
  drift: z.enum(DRIFT_SCENARIOS).default('none'),
  /** First timestamp (ISO date); default 2025-01-06, a Monday. */
  start: z.iso.date().optional(),
  name: z.string().min(1).max(200).optional(),
  /** Keep the dataset in the open registry (datasets/<id>/) so it survives a restart; the CLI passes false. */
  keep: z.boolean().default(true),
});
export type SimulateInput = z.input<typeof SimulateInputSchema>;

const Roles = z.record(z.string().min(1), z.enum(COLUMN_ROLES));
/** One ASCII character; detected from the header line when omitted. */
const Delimiter = z
  .string()
  .length(1)
  .regex(/^[\x20-\x7e\t]$/, 'one printable ASCII character or a tab');

/** How to read a CSV's text; every field is inferred when omitted or `auto`. */
const ReadingFields = {
  delimiter: Delimiter.optional(),
  encoding: z.enum(CSV_ENCODINGS).default('auto'),
  decimal: z.enum(DECIMAL_SEPARATORS).default('auto'),
  dateFormat: z.enum(DATE_FORMATS).default('auto'),
  /** The user's name for the file (a web upload's original name), used in messages instead of the upload copy's path. */
  displayName: z.string().trim().min(1).max(255).optional(),
};

/** The reading options of a CSV read for drift (same meaning as for import). */
export const CsvReadOptionsSchema = z
  .object({
    ...ReadingFields,
    missing: z.enum(MISSING_POLICIES).default('drop'),
    ragged: z.enum(RAGGED_POLICIES).default('error'),
  })
  .strict();
export type CsvReadOptions = z.input<typeof CsvReadOptionsSchema>;

export const PreviewInputSchema = z.object({
  path: z.string().min(1),
  roles: Roles.optional(),
  rows: z.number().int().min(1).max(500).default(50),
  ...ReadingFields,
});

export const ImportInputSchema = z.object({
  path: z.string().min(1),
  roles: Roles.optional(),
  ...ReadingFields,
  missing: z.enum(MISSING_POLICIES).default('drop'),
  /** Rows with a wrong field count: fail (default, naming the line) or skip and count. */
  ragged: z.enum(RAGGED_POLICIES).default('error'),
  /** Dataset name; default the file name (web uploads pass the original name). */
  name: z.string().trim().min(1).max(200).optional(),
  /** Keep the dataset in the open registry (datasets/<id>/) so it survives a restart; the CLI passes false. */
  keep: z.boolean().default(true),
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
  'data.simulate': op<DatasetInfo>()(() => SimulateInputSchema.strict(), { long: true }),
  'data.list': op<{ datasets: DatasetInfo[] }>()(() => z.object({}).strict()),
  'data.get': op<DatasetInfo>()(() => z.object({ datasetId: z.string().min(1) }).strict()),
  'data.series': op<ChartGroups & { column: string; series: Series[] }>()(() => SeriesInputSchema.strict()),
  'data.exportCsv': op<{ path: string; rows: number; bytes: number }>()(() => ExportCsvInputSchema.strict(), { long: true }),
  /** Header, inferred schema and first rows of a CSV, read from the start of the file only. */
  'data.preview': op<CsvPreviewInfo>()(() => PreviewInputSchema.strict()),
  /** Streams a CSV into a dataset (progress in bytes); the import report is in `info.import`. */
  'data.import': op<DatasetInfo>()(() => ImportInputSchema.strict(), { long: true }),
  'data.rename': op<DatasetInfo>()(() => z.object({ datasetId: z.string().min(1), name: z.string().trim().min(1).max(200) }).strict()),
  /** Removes a dataset from the registry (and from memory); models trained on it are not touched. */
  'data.delete': op<{ datasetId: string; deleted: boolean }>()(() => z.object({ datasetId: z.string().min(1) }).strict()),
};
