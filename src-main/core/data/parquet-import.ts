import type { CsvReadingInfo } from '../../contract/shared/data';
import { open } from 'node:fs/promises';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import type { ColumnRole, CsvPreviewInfo, ImportReportInfo as ImportReport } from '../../contract/shared/data';
import { isMissingText, parseNumberText, parseTimestampText } from './csv-cells';
import { median, MISSING_POLICIES, type CsvImportResult, type MissingPolicy } from './csv-import';
import { csvError, csvFileSize } from './csv-source';
import { inferSchema, SchemaOverrideError, type InferredColumn, type SchemaOverrides } from './schema-infer';
import { filterRows, type Column } from './table';

/** hyparquet is loaded on first use, so reading a CSV (every CLI command) does not pay for loading it at start-up. */
const hyparquet = (): Promise<typeof import('hyparquet')> => import('hyparquet');

/** Parquet columns are typed: none of the text-reading options (encoding, separators, date order) apply. */
const PARQUET_READING: CsvReadingInfo = {
  encoding: 'utf-8',
  delimiter: '',
  decimal: '.',
  dateFormat: 'iso',
  inferred: { encoding: false, delimiter: false, decimal: false, dateFormat: false },
  notes: ['Parquet: typed columns, so encoding, delimiter, decimal separator and date format do not apply.'],
};

/**
 * Parquet import, producing the same table, roles and report as a CSV import
 * (csv-import.ts): the schema is inferred by the same rules from the first
 * rows rendered as text, then the file is read one row group at a time
 * straight into typed columns, so decoded rows never pile up as objects.
 */

export interface ParquetImportOptions extends SchemaOverrides {
  missing?: MissingPolicy;
  /** Rows used to infer the schema (default 1,000). */
  sampleRows?: number;
}

export interface ParquetImportHooks {
  /** Called after each row group; may throw to cancel. */
  progress?(rowsRead: number, totalRows: number): void;
}

const PARQUET_MAGIC = 'PAR1';
const DEFAULT_SAMPLE_ROWS = 1000;

/** True for a `.parquet` / `.parq` name or a file that starts with the Parquet magic bytes. */
export async function isParquetFile(path: string): Promise<boolean> {
  if (/\.(parquet|parq)$/i.test(path)) return true;
  let fh;
  try {
    fh = await open(path, 'r');
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return bytesRead === 4 && head.toString('latin1') === PARQUET_MAGIC;
  } catch {
    return false; // the CSV reader reports a missing or unreadable file with its own words
  } finally {
    await fh?.close();
  }
}

/** A cell as the CSV reader would have seen it, so schema inference applies unchanged. */
export function parquetCellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  return ''; // nested values and raw bytes are not stored
}

export async function importParquet(
  path: string,
  options: ParquetImportOptions = {},
  hooks: ParquetImportHooks = {},
): Promise<CsvImportResult> {
  const missing = options.missing ?? 'drop';
  if (!MISSING_POLICIES.includes(missing)) {
    throw csvError(path, `unknown missing-value policy "${String(missing)}"; use ${MISSING_POLICIES.join(', ')}`, { field: 'missing' });
  }
  const sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  const bytes = await csvFileSize(path);
  const file = await (await hyparquet()).asyncBufferFromFile(path);
  const metadata = await readMetadata(path, file);
  const rowCount = Number(metadata.num_rows);
  const { header, flat, warnings } = topLevelColumns(metadata, (await hyparquet()).parquetSchema);
  if (rowCount === 0)
    throw csvError(path, 'no data rows: the Parquet file has a schema but no rows', { hint: 'Export the data again with its rows.' });

  const sample = await readSample(path, file, metadata, header, flat, Math.min(sampleRows, rowCount));
  let schema: InferredColumn[];
  try {
    schema = inferSchema(header, sample, { roles: options.roles, kinds: options.kinds });
  } catch (error) {
    if (error instanceof SchemaOverrideError) throw csvError(path, error.message, { column: error.column, field: 'roles' });
    throw error;
  }
  if (!schema.some((c) => c.role === 'feature')) {
    throw csvError(path, `no numeric column found; a feature column is needed (columns: ${header.join(', ')})`, {
      hint: 'Add a column of numbers, or mark a column as a feature in the import options (roles).',
    });
  }
  for (const c of schema) {
    if (c.kind === null && flat[c.index]) {
      if (c.reason === 'no values in the sampled rows')
        warnings.push(`Column "${c.name}" has no values in the first ${sample.length} rows; it is not imported.`);
    }
  }

  const sinks = schema.filter((c) => c.kind !== null).map((c) => new ColumnSink(c, rowCount));
  const byName = new Map(sinks.map((s) => [s.info.name, s]));
  let done = 0;
  for (const group of metadata.row_groups) {
    const start = done;
    const end = start + Number(group.num_rows);
    await readRows(
      path,
      file,
      metadata,
      sinks.map((s) => s.info.name),
      start,
      end,
      (chunk) => {
        byName.get(chunk.columnName)?.put(chunk.columnData, chunk.rowStart, start, end);
      },
    );
    done = end;
    hooks.progress?.(done, rowCount);
  }

  // Rows with a missing or unreadable feature: dropped, or filled per the policy.
  let table = { rowCount, columns: sinks.map((s) => s.column()) };
  let droppedRows = 0;
  const imputed: Record<string, number> = {};
  const features = sinks.filter((s) => s.info.role === 'feature');
  if (missing === 'drop') {
    const keep = new Uint8Array(rowCount).fill(1);
    for (const s of features) s.markBad(keep);
    for (let i = 0; i < rowCount; i++) droppedRows += 1 - keep[i]!;
    if (droppedRows > 0) table = filterRows(table, keep);
  } else {
    for (const s of features) {
      const n = s.impute(missing, warnings);
      if (n >= 0) imputed[s.info.name] = n;
    }
  }
  if (table.rowCount === 0) {
    throw csvError(path, `no rows left: all ${droppedRows} rows have a missing or non-numeric feature value`, {
      hint: "Import with missing: 'impute-median' or 'impute-zero', or mark the empty columns as ignored.",
    });
  }

  const roles: Record<string, ColumnRole> = {};
  const missingCounts: Record<string, number> = {};
  const nonNumeric: Record<string, number> = {};
  for (const s of sinks) {
    roles[s.info.name] = s.info.role;
    missingCounts[s.info.name] = s.missing;
    nonNumeric[s.info.name] = s.invalid;
    if (s.invalid > 0 && s.info.kind !== 'category') {
      warnings.push(
        `Column "${s.info.name}": ${s.invalid} cells are ${s.info.kind === 'time' ? 'not a date/time' : 'not a number'} (first in row ${s.firstInvalidRow}).`,
      );
    }
  }
  if (droppedRows > 0) warnings.push(`Dropped ${droppedRows} rows with a missing or non-numeric feature value (missing: 'drop').`);
  const report: ImportReport = {
    reading: PARQUET_READING,
    file: path,
    rows: table.rowCount,
    droppedRows,
    raggedRows: 0,
    missing: missingCounts,
    nonNumeric,
    imputed,
    missingPolicy: missing,
    delimiter: '',
    bytes,
    columns: schema,
    droppedColumns: schema.filter((c) => c.kind === null).map((c) => c.name),
    warnings,
  };
  return { table, roles, report };
}

/**
 * The import dialog's look at a Parquet file: header, inferred schema and the
 * first rows as text, like `previewCsv`; the row count is exact (from the footer).
 */
export async function previewParquet(
  path: string,
  options: SchemaOverrides & { rows?: number; sampleRows?: number } = {},
): Promise<CsvPreviewInfo> {
  const bytes = await csvFileSize(path);
  const file = await (await hyparquet()).asyncBufferFromFile(path);
  const metadata = await readMetadata(path, file);
  const rowCount = Number(metadata.num_rows);
  const { header, flat, warnings } = topLevelColumns(metadata, (await hyparquet()).parquetSchema);
  const shown = options.rows ?? 50;
  const sample = await readSample(
    path,
    file,
    metadata,
    header,
    flat,
    Math.min(rowCount, Math.max(shown, options.sampleRows ?? DEFAULT_SAMPLE_ROWS)),
  );
  let columns: InferredColumn[];
  try {
    columns = inferSchema(header, sample, { roles: options.roles, kinds: options.kinds });
  } catch (error) {
    if (error instanceof SchemaOverrideError) throw csvError(path, error.message, { column: error.column, field: 'roles' });
    throw error;
  }
  if (!columns.some((c) => c.role === 'feature')) warnings.push('No numeric column found; mark a column as a feature to import this file.');
  return {
    reading: PARQUET_READING,
    file: path,
    bytes,
    delimiter: '',
    header,
    columns,
    rows: sample.slice(0, shown),
    estimatedRows: rowCount,
    exactRows: true,
    warnings,
  };
}

async function readMetadata(path: string, file: AsyncBuffer): Promise<FileMetaData> {
  try {
    return await (await hyparquet()).parquetMetadataAsync(file);
  } catch (error) {
    throw csvError(path, `not a readable Parquet file (${(error as Error).message})`, {
      hint: 'The file may be truncated or not Parquet at all; export it again, or import it as a CSV.',
    });
  }
}

/** Top-level column names; nested (struct, list, map) columns are named but not read. */
function topLevelColumns(
  metadata: FileMetaData,
  parquetSchema: (typeof import('hyparquet'))['parquetSchema'],
): { header: string[]; flat: boolean[]; warnings: string[] } {
  const warnings: string[] = [];
  const header: string[] = [];
  const flat: boolean[] = [];
  for (const child of parquetSchema(metadata).children) {
    header.push(child.element.name);
    const isFlat = child.children.length === 0;
    flat.push(isFlat);
    if (!isFlat) warnings.push(`Column "${child.element.name}" is nested (a struct, list or map); it is not imported.`);
  }
  return { header, flat, warnings };
}

async function readRows(
  path: string,
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
  rowStart: number,
  rowEnd: number,
  onChunk: (chunk: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number }) => void,
): Promise<void> {
  try {
    // WASM Snappy (several times hyparquet's JS one: pandas and Spark write Snappy by default), plus Gzip, Brotli, Zstd and LZ4.
    const { compressors } = await import('hyparquet-compressors');
    await (await hyparquet()).parquetRead({ file, metadata, columns, rowStart, rowEnd, onChunk, compressors });
  } catch (error) {
    throw csvError(path, `could not read rows ${rowStart + 1}–${rowEnd} (${(error as Error).message})`, {
      hint: 'The file may be truncated or use an encoding GreenLens cannot read (Snappy, Gzip, Brotli, Zstd and LZ4 are supported).',
    });
  }
}

/** The first rows as text, one array per row in header order (nested columns empty). */
async function readSample(
  path: string,
  file: AsyncBuffer,
  metadata: FileMetaData,
  header: string[],
  flat: boolean[],
  rows: number,
): Promise<string[][]> {
  const sample: string[][] = Array.from({ length: rows }, () => header.map(() => ''));
  const index = new Map(header.map((name, i) => [name, i]));
  const names = header.filter((_, i) => flat[i]);
  await readRows(path, file, metadata, names, 0, rows, (chunk) => {
    const j = index.get(chunk.columnName);
    if (j === undefined) return;
    const data = chunk.columnData;
    for (let k = 0; k < data.length; k++) {
      const r = chunk.rowStart + k;
      if (r >= rows) break;
      if (r >= 0) sample[r]![j] = parquetCellText(data[k]);
    }
  });
  return sample;
}

/** One kept column filled from decoded chunks at their row positions; counts missing and unreadable cells like the CSV builders. */
class ColumnSink {
  missing = 0;
  invalid = 0;
  firstInvalidRow = 0;
  private readonly values: Float64Array | null;
  private readonly codes: Int32Array | null;
  private readonly dictionary: string[] = [];
  private readonly lookup = new Map<string, number>();

  constructor(
    readonly info: InferredColumn,
    private readonly rows: number,
  ) {
    if (info.kind === 'category') {
      this.codes = new Int32Array(rows).fill(-1);
      this.values = null;
    } else {
      this.values = new Float64Array(rows).fill(NaN);
      this.codes = null;
    }
  }

  /** Writes the chunk's rows that fall in [start, end) (a chunk may reach outside the requested rows). */
  put(data: ArrayLike<unknown>, chunkStart: number, start: number, end: number): void {
    const from = Math.max(0, start - chunkStart);
    const to = Math.min(data.length, end - chunkStart);
    if (this.codes) {
      for (let k = from; k < to; k++) this.putCategory(data[k], chunkStart + k);
      return;
    }
    const values = this.values!;
    if (data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array || data instanceof Uint32Array) {
      if (this.info.kind === 'number') {
        for (let k = from; k < to; k++) {
          const v = data[k]!;
          values[chunkStart + k] = v;
          if (v !== v) this.missing++;
        }
        return;
      }
    }
    const time = this.info.kind === 'time';
    for (let k = from; k < to; k++) {
      const r = chunkStart + k;
      const v = time ? timeOf(data[k]) : numberOf(data[k]);
      values[r] = v;
      if (v === v) continue;
      const raw = data[k];
      if (
        raw === null ||
        raw === undefined ||
        (typeof raw === 'number' && Number.isNaN(raw)) ||
        (typeof raw === 'string' && isMissingText(raw))
      )
        this.missing++;
      else this.bad(r);
    }
  }

  private putCategory(v: unknown, r: number): void {
    const text = parquetCellText(v);
    if (isMissingText(text)) {
      this.missing++;
      return;
    }
    let code = this.lookup.get(text);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(text);
      this.lookup.set(text, code);
    }
    this.codes![r] = code;
  }

  private bad(r: number): void {
    if (this.invalid === 0) this.firstInvalidRow = r + 1;
    this.invalid++;
  }

  /** Clears keep[i] where this column has no value. */
  markBad(keep: Uint8Array): void {
    const v = this.values;
    if (v) for (let i = 0; i < this.rows; i++) if (v[i] !== v[i]) keep[i] = 0;
    const c = this.codes;
    if (c) for (let i = 0; i < this.rows; i++) if (c[i]! < 0) keep[i] = 0;
  }

  /** Fills missing number cells per the policy; the count filled, or -1 for a column that is not numbers. */
  impute(policy: 'impute-median' | 'impute-zero', warnings: string[]): number {
    const v = this.values;
    if (!v || this.info.kind !== 'number') return -1;
    let fill = 0;
    if (policy === 'impute-median') {
      fill = median(v);
      if (Number.isNaN(fill)) {
        fill = 0;
        warnings.push(`Column "${this.info.name}" has no numeric values; filled with 0.`);
      }
    }
    let n = 0;
    for (let i = 0; i < v.length; i++) {
      if (v[i] !== v[i]) {
        v[i] = fill;
        n++;
      }
    }
    return n;
  }

  column(): Column {
    const name = this.info.name;
    if (this.codes) return { name, kind: 'category', codes: this.codes, dictionary: this.dictionary };
    return { name, kind: this.info.kind === 'time' ? 'time' : 'number', values: this.values! };
  }
}

function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseNumberText(v);
  if (v instanceof Date) return v.getTime();
  return NaN;
}

/** Epoch ms: Parquet timestamps arrive as Dates; text is parsed like a CSV cell; plain numbers are taken as epoch ms. */
function timeOf(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return parseTimestampText(v).ms;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return NaN;
}
