import type { ColumnKind, ColumnRole, CsvPreviewInfo as CsvPreview } from '../../contract/shared/data';

export type { CsvPreviewInfo as CsvPreview } from '../../contract/shared/data';
import { DEFAULT_SAMPLE_ROWS, newTokenizer, OPTION_HINTS, type CsvImportOptions } from './csv-import';
import type { CsvRow } from './csv-parse';
import { resolveReading } from './csv-reading';
import type { EncodingChoice } from './csv-text';
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
  encoding?: CsvImportOptions['encoding'];
  decimal?: CsvImportOptions['decimal'];
  dateFormat?: CsvImportOptions['dateFormat'];
  /** How messages name the file (a web upload's original name); default the path. */
  displayName?: string;
}

const PREVIEW_CHUNK = 1 << 18;

export async function previewCsv(path: string, options: CsvPreviewOptions = {}): Promise<CsvPreview> {
  const shown = options.rows ?? 50;
  const wanted = Math.max(shown, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const maxBytes = options.maxBytes ?? 4 << 20;
  const label = options.displayName ?? path;
  const size = await csvFileSize(path, label);
  let encoding: EncodingChoice = { encoding: 'utf-8', bom: false, inferred: true, reason: 'utf-8' };
  let textScale = 1;

  let header: string[] | null = null;
  const warnings: string[] = [];
  const sample: string[][] = [];
  let headerEnd = 0;
  let sampleEnd = 0;
  let ragged = 0;
  const tokenizer = newTokenizer(label, options.delimiter, (row: CsvRow) => {
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
      encoding: options.encoding,
      onEncoding: (choice, scale) => {
        encoding = choice;
        textScale = scale > 0 ? scale : 1;
      },
    }));
  } catch (error) {
    throw toCsvError(label, error, header);
  }
  const names: string[] | null = header;
  if (names === null) throw csvError(label, 'file is empty', { hint: 'The file needs a header line and at least one data row.' });
  if (sample.length === 0 && complete) throw csvError(label, 'no data rows: the file has a header but no rows', { line: 2 });

  const request = {
    decimal: options.decimal ?? 'auto',
    dateFormat: options.dateFormat ?? 'auto',
    delimiterGiven: options.delimiter !== undefined,
  };
  const resolved = resolveReading(sample, request, tokenizer.delimiter ?? ',', encoding);
  warnings.push(...resolved.warnings);
  let columns: InferredColumn[];
  try {
    columns = inferSchema(names, sample, { roles: options.roles, kinds: options.kinds }, resolved.format);
  } catch (error) {
    if (error instanceof SchemaOverrideError) throw csvError(label, error.message, { column: error.column, field: 'roles' });
    throw error;
  }
  if (!columns.some((c) => c.role === 'feature')) warnings.push(`No numeric column found: ${OPTION_HINTS.feature}.`);
  if (ragged > 1) warnings.push(`${ragged} of the first ${sample.length} rows have the wrong number of fields.`);

  const perRow = sample.length ? (sampleEnd - headerEnd) / sample.length : 0;
  const estimatedRows =
    complete || perRow === 0 ? sample.length : Math.max(sample.length, Math.round((size * textScale - headerEnd) / perRow));
  return {
    file: label,
    bytes: size,
    delimiter: tokenizer.delimiter ?? ',',
    reading: resolved.reading,
    header: names,
    columns,
    rows: sample.slice(0, shown),
    estimatedRows,
    exactRows: complete,
    warnings,
  };
}
