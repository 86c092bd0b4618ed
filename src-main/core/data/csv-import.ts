import type {
  ColumnKind,
  ColumnRole,
  CsvEncodingName,
  CsvReadingInfo,
  ImportReportInfo as ImportReport,
  MissingPolicyName as MissingPolicy,
} from '../../contract/shared/data';

import { CSV_ENCODINGS, DATE_FORMATS, DECIMAL_SEPARATORS, MISSING_POLICIES } from '../../contract/shared/data';

export { MISSING_POLICIES };
export type { ImportReportInfo as ImportReport, MissingPolicyName as MissingPolicy } from '../../contract/shared/data';
import { CategoryBuilder, NumberBuilder, TimeBuilder, type ColumnBuilder } from './csv-columns';
import type { ColumnMemory } from './column-memory';
import { CsvRow, CsvTokenizer } from './csv-parse';
import { DEFAULT_CELL_FORMAT, resolveReading, type CellFormat, type ReadingRequest } from './csv-reading';
import { csvError, csvFileSize, normalizeHeader, pumpCsv, toCsvError } from './csv-source';
import type { EncodingChoice } from './csv-text';
import type { CsvRangePlan, CsvRangeResult, RangeColumn } from './csv-range-types';
import { columnRecord, inferSchema, SchemaOverrideError, type InferredColumn } from './schema-infer';
import type { Column, Table } from './table';

/**
 * Streaming CSV import: the file is read in chunks and parsed straight into
 * typed columns, so memory follows rows × kept columns, never the text size.
 * The schema is inferred from the first rows (see schema-infer.ts), which are
 * then replayed into the columns.
 */

/**
 * What happens to a row whose feature value is missing or not numeric:
 * `drop` the row (default), or fill number features with the column's median
 * (over the rows read) or with 0.
 */

export interface CsvImportOptions {
  /** One ASCII character; detected from the header line among , ; tab | when omitted. */
  delimiter?: string;
  roles?: Record<string, ColumnRole>;
  kinds?: Record<string, ColumnKind>;
  missing?: MissingPolicy;
  /** Rows whose field count differs from the header: fail (default) or skip and count. */
  ragged?: 'error' | 'skip';
  /** Text encoding (default auto: BOM, valid UTF-8, else Windows-1252). */
  encoding?: CsvEncodingName;
  /** Decimal separator (default auto: inferred from the sampled cells). */
  decimal?: ReadingRequest['decimal'];
  /** Date order (default auto: inferred from the sampled dates). */
  dateFormat?: ReadingRequest['dateFormat'];
  /** How messages and the report name the file (e.g. a web upload's original name); default the path. */
  displayName?: string;
  /** Rows used to infer the schema (default 1,000). */
  sampleRows?: number;
  /** Read chunk size in bytes (default 1 MiB). */
  highWaterMark?: number;
}

export interface CsvImportHooks {
  /** Called after each chunk; may throw to cancel (the file is closed). */
  progress?(bytesRead: number, totalBytes: number): void;
  /** Rows handed out while the file is still being read (see RowsTap). */
  rows?: RowsTap;
}

/**
 * Rows handed out in batches as they are read, so work on them can start
 * before the import ends (the CLI's score, backend/model/score-ahead.ts).
 * Only with missing values dropped: a filled value is known only once every
 * row is read. Rows [from, to) of the table are final when `ready` is called
 * (a dropped row is never among them); the last rows, fewer than `every`, are
 * not handed out: the caller takes them from the finished table. If the
 * import fails, the batches already handed out belong to no table.
 */
export interface RowsTap {
  /** Kept rows per batch. */
  every: number;
  /** Kept rows in the first batch (default `every`): a smaller one reaches its user sooner after the sample is read. */
  first?: number;
  /**
   * `numbers(name)` is the number column's values so far, or null when the file has no number column of that name.
   * Read them below `to` only, and now, unless the columns are shared (`memory`).
   */
  ready(from: number, to: number, numbers: (name: string) => Float64Array | null): void;
  /**
   * 'shared': every column is allocated in shared memory, so other threads can read it without a copy, and a view of
   * rows [from, to) may be kept after `ready` returns: those rows never change, and growing a column copies it into
   * new memory, leaving the old as it was. Default 'own'.
   */
  memory?: ColumnMemory;
}

export interface CsvImportResult {
  table: Table;
  roles: Record<string, ColumnRole>;
  report: ImportReport;
}

export const DEFAULT_SAMPLE_ROWS = 1000;
const DEFAULT_CHUNK = 1 << 20;

export async function importCsv(path: string, options: CsvImportOptions = {}, hooks: CsvImportHooks = {}): Promise<CsvImportResult> {
  const label = options.displayName ?? path;
  const opts = checkOptions(label, options);
  const size = await csvFileSize(path, label);
  const importer = new Importer(label, size, opts);
  if (hooks.rows && opts.missing === 'drop') importer.tap = hooks.rows;
  const tokenizer = newTokenizer(label, opts.delimiter, (row) => importer.onRow(row));
  importer.tokenizer = tokenizer;
  try {
    await pumpCsv(path, tokenizer, {
      size,
      highWaterMark: opts.highWaterMark,
      progress: hooks.progress?.bind(hooks),
      encoding: opts.encoding,
      onEncoding: (choice, scale) => importer.setEncoding(choice, scale),
    });
    return importer.finish();
  } catch (error) {
    throw toCsvError(label, error, importer.header);
  }
}

export function newTokenizer(path: string, delimiter: string | undefined, onRow: (row: CsvRow) => void): CsvTokenizer {
  try {
    return new CsvTokenizer(onRow, { delimiter });
  } catch (error) {
    throw csvError(path, (error as Error).message, { field: 'delimiter' });
  }
}

export interface CheckedOptions {
  delimiter: string | undefined;
  encoding: CsvEncodingName;
  decimal: ReadingRequest['decimal'];
  dateFormat: ReadingRequest['dateFormat'];
  roles: Record<string, ColumnRole>;
  kinds: Record<string, ColumnKind>;
  missing: MissingPolicy;
  ragged: 'error' | 'skip';
  sampleRows: number;
  highWaterMark: number;
}

export function checkOptions(path: string, o: CsvImportOptions): CheckedOptions {
  const missing = o.missing ?? 'drop';
  if (!MISSING_POLICIES.includes(missing)) {
    throw csvError(path, `unknown missing-value policy "${String(missing)}"; use ${MISSING_POLICIES.join(', ')}`, { field: 'missing' });
  }
  const ragged = o.ragged ?? 'error';
  if (ragged !== 'error' && ragged !== 'skip') throw csvError(path, `ragged must be "error" or "skip"`, { field: 'ragged' });
  const sampleRows = o.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  if (!Number.isInteger(sampleRows) || sampleRows < 1)
    throw csvError(path, 'sampleRows must be a positive integer', { field: 'sampleRows' });
  const highWaterMark = o.highWaterMark ?? DEFAULT_CHUNK;
  if (!Number.isInteger(highWaterMark) || highWaterMark < 1)
    throw csvError(path, 'highWaterMark must be a positive integer', { field: 'highWaterMark' });
  const encoding = oneOf(path, 'encoding', o.encoding ?? 'auto', CSV_ENCODINGS);
  const decimal = oneOf(path, 'decimal', o.decimal ?? 'auto', DECIMAL_SEPARATORS);
  const dateFormat = oneOf(path, 'dateFormat', o.dateFormat ?? 'auto', DATE_FORMATS);
  return {
    delimiter: o.delimiter,
    encoding,
    decimal,
    dateFormat,
    roles: o.roles ?? {},
    kinds: o.kinds ?? {},
    missing,
    ragged,
    sampleRows,
    highWaterMark,
  };
}

function oneOf<T extends string>(path: string, field: string, value: T, choices: readonly T[]): T {
  if (!choices.includes(value)) throw csvError(path, `unknown ${field} "${String(value)}"; use ${choices.join(', ')}`, { field });
  return value;
}

/** Where the user sets each import option, for hints: the CLI flag and the import review's control. */
export const OPTION_HINTS = {
  ragged: 'skip such rows with --ragged skip (CLI) or "Rows with the wrong number of fields: skip" in the import review',
  missing: 'fill them with --missing impute-median or --missing impute-zero (CLI), or "Missing feature values" in the import review',
  feature:
    'give a column the role "feature" in the import review\'s Role column (CLI: --features NAME), or check the decimal separator (--decimal)',
} as const;

function raggedMessage(expected: number, found: number): string {
  return `expected ${expected} fields (as in the header), found ${found}`;
}

export class Importer {
  tokenizer: CsvTokenizer | null = null;
  /** Called once the schema is known and the sample ingested (a caller may then stop the tokenizer). */
  afterSample: (() => void) | null = null;
  /** Batches of final rows for work that starts before the import ends. */
  tap: RowsTap | null = null;
  /** Rows handed to the tap so far. */
  private tapped = 0;
  header: string[] | null = null;
  private readonly warnings: string[] = [];
  private headerEnd = 0;
  /** Sampled rows as text until the schema is known; null afterwards. */
  private sample: { cells: string[]; line: number }[] | null = [];
  private sampleEnd = 0;
  private schema: InferredColumn[] = [];
  private builders: ColumnBuilder[] = [];
  // Builders split by class so the per-row loops stay monomorphic (fast).
  private numbers: NumberBuilder[] = [];
  private times: TimeBuilder[] = [];
  private categories: CategoryBuilder[] = [];
  /** Per builder (same order as the typed lists): a bad cell drops the row. */
  private numberDrops: boolean[] = [];
  private timeDrops: boolean[] = [];
  private categoryDrops: boolean[] = [];
  private capacity = 0;
  private rows = 0;
  private droppedRows = 0;
  private raggedRows = 0;
  private firstRaggedLine = 0;
  private encoding: EncodingChoice = { encoding: 'utf-8', bom: false, inferred: true, reason: 'utf-8' };
  /** Tokenizer (UTF-8) bytes per file byte, for row estimates of converted files. */
  private textScale = 1;
  private format: CellFormat = DEFAULT_CELL_FORMAT;
  private reading: CsvReadingInfo | null = null;

  constructor(
    private readonly file: string,
    private readonly size: number,
    private readonly opts: CheckedOptions,
  ) {}

  setEncoding(choice: EncodingChoice, textScale: number): void {
    this.encoding = choice;
    this.textScale = textScale > 0 ? textScale : 1;
  }

  onRow(row: CsvRow): void {
    // Blank lines (including the usual trailing one) carry no data.
    if (row.isBlank()) return;
    if (this.header === null) {
      const { names, warnings } = normalizeHeader(row.texts());
      this.header = names;
      this.warnings.push(...warnings);
      this.headerEnd = this.tokenizer?.bytesConsumed ?? 0;
      return;
    }
    if (this.sample === null) {
      this.ingest(row);
      return;
    }
    if (!this.fits(row)) return;
    this.sample.push({ cells: row.texts(), line: row.line });
    this.sampleEnd = this.tokenizer?.bytesConsumed ?? 0;
    if (this.sample.length >= this.opts.sampleRows) this.start(false);
  }

  /** True when the row has the header's field count; otherwise fails or counts it. */
  private fits(row: CsvRow): boolean {
    const width = this.header!.length;
    if (row.count === width) return true;
    if (this.opts.ragged === 'skip') {
      if (this.raggedRows === 0) this.firstRaggedLine = row.line;
      this.raggedRows++;
      return false;
    }
    throw csvError(this.file, raggedMessage(width, row.count), {
      line: row.line,
      column: row.count < width ? this.header![row.count] : undefined,
      hint: `Every row needs one value per header column (an empty value is fine); or ${OPTION_HINTS.ragged}.`,
    });
  }

  /** Infers the schema from the sample, sizes the columns and replays the sample into them. */
  private start(atEnd: boolean): void {
    const sample = this.sample!;
    const header = this.header!;
    const cells = sample.map((s) => s.cells);
    const request = { decimal: this.opts.decimal, dateFormat: this.opts.dateFormat, delimiterGiven: this.opts.delimiter !== undefined };
    const resolved = resolveReading(cells, request, this.tokenizer?.delimiter ?? ',', this.encoding);
    this.format = resolved.format;
    this.reading = resolved.reading;
    this.warnings.push(...resolved.warnings);
    try {
      this.schema = inferSchema(header, cells, { roles: this.opts.roles, kinds: this.opts.kinds }, this.format);
    } catch (error) {
      if (error instanceof SchemaOverrideError) throw csvError(this.file, error.message, { column: error.column, field: 'roles' });
      throw error;
    }
    if (!this.schema.some((c) => c.role === 'feature')) {
      throw csvError(this.file, `no numeric column found; a feature column is needed (columns: ${header.join(', ')})`, {
        hint: `Add a column of numbers, or ${OPTION_HINTS.feature}.`,
      });
    }
    for (const c of this.schema) {
      if (c.type === 'text' && c.kind === null && c.reason === 'no values in the sampled rows') {
        this.warnings.push(`Column "${c.name}" has no values in the first ${sample.length} rows; it is not imported.`);
      }
    }
    this.capacity = atEnd ? sample.length : this.estimateRows(sample.length);
    this.createBuilders();
    this.sample = null;
    const replay = new CsvRow();
    for (const s of sample) this.ingest(CsvRow.fromTexts(s.cells, s.line, replay));
    if (!atEnd) this.afterSample?.();
  }

  /** Builders for the schema, at the current capacity. */
  private createBuilders(): void {
    const drop = this.opts.missing === 'drop';
    const memory = this.tap?.memory ?? 'own';
    for (const c of this.schema) {
      if (c.kind === null) continue;
      const dropsRow = drop && c.role === 'feature';
      if (c.kind === 'number') {
        this.add(this.numbers, new NumberBuilder(c.name, c.index, c.role, this.capacity, this.format, memory));
        this.numberDrops.push(dropsRow);
      } else if (c.kind === 'time') {
        this.add(this.times, new TimeBuilder(c.name, c.index, c.role, this.capacity, this.format, memory));
        this.timeDrops.push(dropsRow);
      } else {
        this.add(this.categories, new CategoryBuilder(c.name, c.index, c.role, this.capacity, memory));
        this.categoryDrops.push(dropsRow);
      }
    }
  }

  /** What a range of the file's rows needs to be parsed elsewhere exactly as this import would (after the sample). */
  plan(): CsvRangePlan {
    const sampled = this.rows + this.droppedRows;
    return {
      file: this.file,
      header: this.header!,
      schema: this.schema,
      format: this.format,
      delimiter: this.tokenizer?.delimiter ?? ',',
      missing: this.opts.missing,
      ragged: this.opts.ragged,
      bytesPerRow: Math.max(1, (this.sampleEnd - this.headerEnd) / Math.max(1, sampled)),
    };
  }

  /** An importer for one range of a file's rows, with the schema already known (see csv-range.ts). */
  static forRange(plan: CsvRangePlan, rangeBytes: number): Importer {
    const opts = checkOptions(plan.file, { missing: plan.missing, ragged: plan.ragged, delimiter: plan.delimiter });
    const importer = new Importer(plan.file, rangeBytes, opts);
    importer.header = plan.header;
    importer.schema = plan.schema;
    importer.format = plan.format;
    importer.sample = null;
    const bound = Math.floor(rangeBytes / plan.header.length) + 1;
    importer.capacity = Math.min(bound, Math.ceil((rangeBytes / plan.bytesPerRow) * 1.02) + 16);
    importer.createBuilders();
    return importer;
  }

  /** The rows parsed so far as exact-length columns with their counts, in builder order (a range's result). */
  rangeColumns(): Omit<CsvRangeResult, 'lines' | 'complete'> {
    const rows = this.rows;
    const columns = this.builders.map((b): RangeColumn => {
      const c = b.finish(rows);
      const counts = { missing: b.missing, invalid: b.invalid, firstInvalidLine: b instanceof CategoryBuilder ? 0 : b.firstInvalidLine };
      if (c.kind === 'category') return { ...counts, codes: c.codes, dictionary: c.dictionary };
      const t = b instanceof TimeBuilder ? b : null;
      return {
        ...counts,
        values: c.values,
        zoneless: t?.zoneless ?? 0,
        epochSeconds: t?.epochSeconds ?? 0,
        epochMillis: t?.epochMillis ?? 0,
      };
    });
    return { rows, droppedRows: this.droppedRows, raggedRows: this.raggedRows, firstRaggedLine: this.firstRaggedLine, columns };
  }

  /**
   * Appends a range's rows (parsed by forRange with this import's plan) after
   * the rows read so far; `lineOffset` turns the range's line numbers into the file's.
   */
  absorb(range: Omit<CsvRangeResult, 'lines' | 'complete'>, lineOffset: number): void {
    const at = this.rows;
    const need = at + range.rows;
    if (need > this.capacity) {
      this.capacity = need;
      for (const b of this.builders) b.grow(need);
    }
    this.builders.forEach((b, k) => {
      const c = range.columns[k]!;
      if (b instanceof CategoryBuilder) b.absorb(c as Extract<RangeColumn, { codes: Int32Array }>, at);
      else {
        const f = c as Extract<RangeColumn, { values: Float64Array }>;
        b.values.set(f.values.subarray(0, range.rows), at);
        if (b.invalid === 0 && f.invalid > 0) b.firstInvalidLine = f.firstInvalidLine + lineOffset;
        b.invalid += f.invalid;
        if (b instanceof TimeBuilder) {
          b.zoneless += f.zoneless;
          b.epochSeconds += f.epochSeconds;
          b.epochMillis += f.epochMillis;
        }
      }
      b.missing += c.missing;
    });
    if (this.raggedRows === 0 && range.raggedRows > 0) this.firstRaggedLine = range.firstRaggedLine + lineOffset;
    this.raggedRows += range.raggedRows;
    this.droppedRows += range.droppedRows;
    this.rows = need;
  }

  private add<B extends ColumnBuilder>(list: B[], builder: B): void {
    list.push(builder);
    this.builders.push(builder);
  }

  /**
   * Rows expected in the whole file from the sample's bytes per row, so the
   * columns are allocated once instead of grown and copied. Capped by the
   * most rows the remaining bytes could hold (each row is at least one byte
   * per field, counting delimiters and the line break).
   */
  private estimateRows(sampled: number): number {
    return Math.max(sampled, this.rowsForBytes(sampled, this.sampleEnd));
  }

  /** Rows in the file if it continues like its first `bytesEnd` bytes held `rows` rows. */
  private rowsForBytes(rows: number, bytesEnd: number): number {
    const rest = this.size * this.textScale - this.headerEnd;
    const perRow = Math.max(1, (bytesEnd - this.headerEnd) / Math.max(1, rows));
    const estimate = Math.ceil((rest / perRow) * 1.02) + 16;
    const bound = Math.floor(rest / this.header!.length) + 1;
    return Math.min(estimate, bound);
  }

  private ingest(row: CsvRow): void {
    if (row.count !== this.header!.length && !this.fits(row)) return;
    const r = this.rows;
    if (r === this.capacity) this.grow();
    let keep = true;
    const numbers = this.numbers;
    for (let k = 0; k < numbers.length; k++) if (!numbers[k]!.put(row, r) && this.numberDrops[k]) keep = false;
    const times = this.times;
    for (let k = 0; k < times.length; k++) if (!times[k]!.put(row, r) && this.timeDrops[k]) keep = false;
    const categories = this.categories;
    for (let k = 0; k < categories.length; k++) if (!categories[k]!.put(row, r) && this.categoryDrops[k]) keep = false;
    // A dropped row is not counted, so the next row overwrites its cells.
    if (keep) {
      this.rows = r + 1;
      if (this.tap !== null && this.rows - this.tapped === (this.tapped === 0 ? (this.tap.first ?? this.tap.every) : this.tap.every))
        this.handOut(this.tap);
    } else this.droppedRows++;
  }

  private handOut(tap: RowsTap): void {
    const from = this.tapped;
    this.tapped = this.rows;
    tap.ready(from, this.rows, (name) => this.numbers.find((b) => b.name === name)?.values ?? null);
  }

  /** Re-estimates from the bytes read so far (the sample may not be typical), growing by at least 1/8. */
  private grow(): void {
    const estimate = this.rowsForBytes(this.rows, this.tokenizer?.bytesConsumed ?? this.size);
    this.capacity = Math.max(estimate, Math.ceil(this.capacity * 1.125) + 1024);
    for (const b of this.builders) b.grow(this.capacity);
  }

  finish(): CsvImportResult {
    const file = this.file;
    if (this.header === null) throw csvError(file, 'file is empty', { hint: 'The file needs a header line and at least one data row.' });
    if (this.sample !== null) {
      if (this.sample.length === 0) {
        const skipped = this.raggedRows ? ` (${this.raggedRows} rows with the wrong number of fields were skipped)` : '';
        throw csvError(file, `no data rows: the file has a header but no rows${skipped}`, {
          line: 2,
          hint: 'Add data rows below the header line.',
        });
      }
      this.start(true);
    }
    if (this.rows === 0) {
      throw csvError(file, `no rows left: all ${this.droppedRows} rows have a missing or non-numeric feature value`, {
        hint: `Rows with a missing feature value are dropped by default; ${OPTION_HINTS.missing}, or give the empty columns the role "ignored".`,
      });
    }
    const rows = this.rows;
    const columns: Column[] = this.builders.map((b) => b.finish(rows));
    const imputed = this.impute(columns);
    const roles = columnRecord<ColumnRole>();
    const missing = columnRecord<number>();
    const nonNumeric = columnRecord<number>();
    for (const b of this.builders) {
      roles[b.name] = b.role;
      missing[b.name] = b.missing;
      nonNumeric[b.name] = b.invalid;
    }
    // Keep the header's column order in the table.
    const order = new Map(this.schema.map((c) => [c.name, c.index]));
    columns.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    const report: ImportReport = {
      file,
      rows,
      droppedRows: this.droppedRows,
      raggedRows: this.raggedRows,
      missing,
      nonNumeric,
      imputed,
      missingPolicy: this.opts.missing,
      delimiter: this.tokenizer?.delimiter ?? ',',
      reading: this.reading!,
      bytes: this.size,
      columns: this.schema,
      droppedColumns: this.schema.filter((c) => c.kind === null).map((c) => c.name),
      warnings: [...this.warnings, ...this.cellWarnings()],
    };
    return { table: { rowCount: rows, columns }, roles, report };
  }

  /** Fills missing number-feature cells per the policy; returns counts per column. */
  private impute(columns: Column[]): Record<string, number> {
    const imputed: Record<string, number> = {};
    if (this.opts.missing === 'drop') return imputed;
    const roles = new Map(this.schema.map((s) => [s.name, s.role]));
    for (const c of columns) {
      if (c.kind !== 'number' || roles.get(c.name) !== 'feature') continue;
      const v = c.values;
      let fill = 0;
      if (this.opts.missing === 'impute-median') {
        fill = median(v);
        if (Number.isNaN(fill)) {
          fill = 0;
          this.warnings.push(`Column "${c.name}" has no numeric values; filled with 0.`);
        }
      }
      let n = 0;
      for (let i = 0; i < v.length; i++) {
        if (v[i] !== v[i]) {
          v[i] = fill;
          n++;
        }
      }
      imputed[c.name] = n;
    }
    return imputed;
  }

  private cellWarnings(): string[] {
    const out: string[] = [];
    if (this.raggedRows > 0) {
      out.push(`Skipped ${this.raggedRows} rows with the wrong number of fields (first on line ${this.firstRaggedLine}).`);
    }
    for (const b of this.builders) {
      if (b.invalid > 0 && !(b instanceof CategoryBuilder)) {
        const what = b instanceof TimeBuilder ? 'not a date/time' : 'not a number';
        out.push(`Column "${b.name}": ${b.invalid} cells are ${what} (first on line ${b.firstInvalidLine}).`);
      }
    }
    if (this.droppedRows > 0) {
      out.push(
        `Dropped ${this.droppedRows} rows with a missing or non-numeric feature value (missing values: drop; ${OPTION_HINTS.missing}).`,
      );
    }
    for (const b of this.times) {
      if (b.zoneless > 0 && b.role === 'timestamp') out.push(`Column "${b.name}": times without a time zone were read as UTC.`);
      if (b.epochSeconds > 0) out.push(`Column "${b.name}": numbers read as Unix epoch seconds (UTC).`);
      if (b.epochMillis > 0) out.push(`Column "${b.name}": numbers read as Unix epoch milliseconds (UTC).`);
    }
    return out;
  }
}

/** Median of the non-NaN values (mean of the middle two for an even count); NaN when none. */
export function median(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  if (n === 0) return NaN;
  const present = new Float64Array(n);
  for (let i = 0, j = 0; i < values.length; i++) if (values[i] === values[i]) present[j++] = values[i]!;
  present.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
}
