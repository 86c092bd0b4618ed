import type { ColumnKind, ColumnRole, CsvPreviewInfo as CsvPreview } from '../../contract/shared/data';

export type { CsvPreviewInfo as CsvPreview } from '../../contract/shared/data';
import { DEFAULT_SAMPLE_ROWS, newTokenizer } from './csv-import';
import type { CsvRow } from './csv-parse';
import { csvError, csvFileSize, normalizeHeader, pumpCsv, toCsvError } from './csv-source';
import { inferSchema, SchemaOverrideError, type InferredColumn } from './schema-infer';

/**
 * A cheap look at a CSV for the import dialog: reads only the start of the
 * file (enough rows to infer the schema, at most maxBytes).
 */

export interface CsvPreviewOptions {
  /** Rows returned as text (default 50). */
  rows?: number;
  /** Rows used to infer the schema (default 1,000). */
  sampleRows?: number;
  delimiter?: string;
  roles?: Record<string, ColumnRole>;
  kinds?: Record<string, ColumnKind>;
  /** Stop reading after this many bytes even if fewer rows were found (default 4 MiB). */
  maxBytes?: number;
}

const PREVIEW_CHUNK = 1 << 18;

export async function previewCsv(path: string, options: CsvPreviewOptions = {}): Promise<CsvPreview> {
  const shown = options.rows ?? 50;
  const wanted = Math.max(shown, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const maxBytes = options.maxBytes ?? 4 << 20;
  const size = await csvFileSize(path);

  let header: string[] | null = null;
  const warnings: string[] = [];
  const sample: string[][] = [];
  let headerEnd = 0;
  let sampleEnd = 0;
  let ragged = 0;
  const tokenizer = newTokenizer(path, options.delimiter, (row: CsvRow) => {
    if (row.isBlank()) return;
    if (header === null) {
      const normal = normalizeHeader(row.texts());
      header = normal.names;
      warnings.push(...normal.warnings);
      headerEnd = tokenizer.bytesConsumed;
      return;
    }
    if (row.count !== header.length && ragged++ === 0) {
      warnings.push(`Line ${row.line} has ${row.count} fields; the header has ${header.length}.`);
    }
    sample.push(row.texts());
    sampleEnd = tokenizer.bytesConsumed;
    if (sample.length >= wanted) tokenizer.stop();
  });

  let complete: boolean;
  try {
    ({ complete } = await pumpCsv(path, tokenizer, {
      size,
      highWaterMark: Math.min(PREVIEW_CHUNK, maxBytes),
      done: () => sample.length >= wanted || tokenizer.bytesConsumed >= maxBytes,
    }));
  } catch (error) {
    throw toCsvError(path, error, header);
  }
  const names: string[] | null = header;
  if (names === null) throw csvError(path, 'file is empty', { hint: 'The file needs a header line and at least one data row.' });
  if (sample.length === 0 && complete) throw csvError(path, 'no data rows: the file has a header but no rows', { line: 2 });

  let columns: InferredColumn[];
  try {
    columns = inferSchema(names, sample, { roles: options.roles, kinds: options.kinds });
  } catch (error) {
    if (error instanceof SchemaOverrideError) throw csvError(path, error.message, { column: error.column, field: 'roles' });
    throw error;
  }
  if (!columns.some((c) => c.role === 'feature')) warnings.push('No numeric column found; mark a column as a feature to import this file.');
  if (ragged > 1) warnings.push(`${ragged} of the first ${sample.length} rows have the wrong number of fields.`);

  const perRow = sample.length ? (sampleEnd - headerEnd) / sample.length : 0;
  const estimatedRows = complete || perRow === 0 ? sample.length : Math.max(sample.length, Math.round((size - headerEnd) / perRow));
  return {
    file: path,
    bytes: size,
    delimiter: tokenizer.delimiter ?? ',',
    header: names,
    columns,
    rows: sample.slice(0, shown),
    estimatedRows,
    exactRows: complete,
    warnings,
  };
}
