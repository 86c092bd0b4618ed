import type { ColumnRole, MissingPolicyName } from '../contract/ops/data';
import { importCsv, type CsvImportOptions, type CsvImportResult, type RowsTap } from '../core/data/csv-import';
import { importParquet, isParquetFile } from '../core/data/parquet-import';
import type { Table } from '../core/data/table';
import { writeFileAtomic } from '../core/registry/atomic';
import { writeCsvAtomic, type CsvRowsJob, type CsvThreads } from './csv-file';
import { importCsvOnThreads } from './csv-threads';
import type { JobContext } from './job';

/**
 * Data files by format: a Parquet file (by name or by its magic bytes) or a
 * CSV. Import and output pick the reader or writer here, so the ops and
 * commands stay format-blind.
 */
export interface TableImportOptions extends Omit<CsvImportOptions, 'roles'> {
  roles?: Record<string, ColumnRole>;
  missing?: MissingPolicyName;
}

/**
 * With `threads`, a large CSV is parsed on several threads (csv-threads.ts); the table and report are the same either way.
 * `rows` gets batches of rows while a CSV is read in one pass (never from Parquet or a split read).
 */
export async function importTableFile(
  path: string,
  options: TableImportOptions,
  progress: (done: number, total: number) => void,
  threads: CsvThreads | null = null,
  rows: RowsTap | null = null,
): Promise<CsvImportResult> {
  if (await isParquetFile(path)) {
    return importParquet(path, { roles: options.roles, kinds: options.kinds, missing: options.missing }, { progress });
  }
  const split = threads ? await importCsvOnThreads(path, options, progress, threads) : null;
  return split ?? importCsv(path, options, { progress, ...(rows ? { rows } : {}) });
}

export function isParquetPath(path: string): boolean {
  return /\.(parquet|parq)$/i.test(path);
}

/** Writes a table as Parquet when the name says so, else as CSV; atomic either way. Returns the bytes written. */
export async function writeTableAtomic(
  path: string,
  table: Table,
  ctx: JobContext,
  field = 'out',
  csvThreads: CsvThreads | null = null,
  /** A CSV's rows already being formatted on another thread (startCsvRows). */
  csvRows: CsvRowsJob | null = null,
  /** Work the file must not appear without: the file is renamed into place only once it succeeds (writeCsvAtomic). */
  beforeRename: Promise<unknown> | null = null,
): Promise<number> {
  if (!isParquetPath(path)) return writeCsvAtomic(path, table, ctx, field, csvThreads, csvRows, beforeRename);
  await beforeRename;
  ctx.progress('writing', 0, table.rowCount);
  // Loaded on use: hyparquet-writer is not worth loading at start-up for the CSV case.
  const { tableToParquet } = await import('../core/data/parquet-write');
  const bytes = tableToParquet(table);
  await writeFileAtomic(path, bytes);
  ctx.progress('writing', table.rowCount, table.rowCount);
  return bytes.byteLength;
}

// The CLI's replay reads rows through the backend, not from core directly.
export { cellText, type Column } from '../core/data/table';
