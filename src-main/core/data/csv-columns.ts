import type { ColumnRole } from '../../contract/shared/data';
import {
  epochToMs,
  isBlankBytes,
  isMissingBytes,
  parseNumberBytes,
  parseTimestampBytes,
  type DateOrder,
  type DecimalCode,
} from './csv-cells';
import { DEFAULT_CELL_FORMAT, type CellFormat } from './csv-reading';
import { allocColumn, resizedCopy, type ColumnMemory } from './column-memory';
import { FIELD_ESCAPED, type CsvRow } from './csv-parse';
import type { Column } from './table';

/**
 * Growable typed columns filled cell by cell from byte spans. All builders of
 * one import share a row capacity, grown together by the importer. A cell is
 * written at the current row index; a row dropped later is simply overwritten.
 */

interface BuilderBase {
  name: string;
  /** Position in the CSV header. */
  index: number;
  role: ColumnRole;
  /** Missing cells (empty, NA, null…), including those in dropped rows. */
  missing: number;
  /** Cells that could not be read as the column's kind. */
  invalid: number;
}

/** Number and time columns: a Float64Array (NaN = missing) grown with the import. */
abstract class FloatBuilder implements BuilderBase {
  values: Float64Array;
  missing = 0;
  invalid = 0;
  /** First line with an unreadable cell, for the report. */
  firstInvalidLine = 0;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly role: ColumnRole,
    capacity: number,
    format: CellFormat = DEFAULT_CELL_FORMAT,
    memory: ColumnMemory = 'own',
  ) {
    this.values = allocColumn(Float64Array, capacity, memory);
    this.decimal = format.decimal;
    this.dateOrder = format.dateOrder;
  }

  // Copied out of the format so the per-cell loop reads a field, not a field of a field.
  protected readonly decimal: DecimalCode;
  protected readonly dateOrder: DateOrder;

  abstract put(row: CsvRow, r: number): boolean;

  grow(capacity: number): void {
    this.values = resizedCopy(this.values, capacity);
  }

  protected column(kind: 'number' | 'time', rows: number): Column {
    return { name: this.name, kind, values: trimFloat(this.values, rows) };
  }
}

export class NumberBuilder extends FloatBuilder {
  /** Writes row r; returns false when the cell is missing or not numeric. */
  put(row: CsvRow, r: number): boolean {
    const j = this.index;
    const v = parseNumberBytes(row.bytes, row.starts[j]!, row.ends[j]!, this.decimal);
    this.values[r] = v;
    if (v === v) return true;
    this.countBad(row);
    return false;
  }

  private countBad(row: CsvRow): void {
    const j = this.index;
    if (isMissingBytes(row.bytes, row.starts[j]!, row.ends[j]!)) this.missing++;
    else {
      if (this.invalid === 0) this.firstInvalidLine = row.line;
      this.invalid++;
    }
  }

  finish(rows: number): Column {
    return this.column('number', rows);
  }
}

/** Longest timestamp text the repeat check keeps ("2024-01-01T00:00:00.000+00:00" is 29). */
const LAST_TIMESTAMP_BYTES = 40;

export class TimeBuilder extends FloatBuilder {
  /** Cells that had no zone and were read as UTC. */
  zoneless = 0;
  /** Cells that were Unix epoch numbers, by the unit they were read in. */
  epochSeconds = 0;
  epochMillis = 0;

  /**
   * The last parsed timestamp's bytes and value: hourly data from many meters
   * repeats each timestamp once per meter, and comparing a few bytes is far
   * cheaper than parsing them again.
   */
  private readonly lastBytes = new Uint8Array(LAST_TIMESTAMP_BYTES);
  private lastLength = -1;
  private lastMs = NaN;
  private lastZoned = false;

  put(row: CsvRow, r: number): boolean {
    const j = this.index;
    const b = row.bytes;
    const s = row.starts[j]!;
    const e = row.ends[j]!;
    if (e - s === this.lastLength && this.repeatsLast(b, s, e)) {
      if (!this.lastZoned) this.zoneless++;
      this.values[r] = this.lastMs;
      return true;
    }
    const t = parseTimestampBytes(b, s, e, this.dateOrder);
    let ms = t.ms;
    if (ms === ms) {
      if (!t.hasZone) this.zoneless++;
      this.remember(b, s, e, ms, t.hasZone);
    } else if (isMissingBytes(b, s, e)) {
      this.missing++;
    } else {
      // A number in a time column is a Unix epoch time, in seconds or milliseconds by magnitude.
      const v = parseNumberBytes(b, s, e, this.decimal);
      if (v !== v) {
        ms = NaN;
        if (this.invalid === 0) this.firstInvalidLine = row.line;
        this.invalid++;
      } else {
        const epoch = epochToMs(v);
        ms = epoch.ms;
        if (epoch.unit === 'seconds') this.epochSeconds++;
        else this.epochMillis++;
      }
    }
    this.values[r] = ms;
    return ms === ms;
  }

  private repeatsLast(b: Buffer, s: number, e: number): boolean {
    const last = this.lastBytes;
    for (let i = s, k = 0; i < e; i++, k++) if (b[i] !== last[k]) return false;
    return true;
  }

  private remember(b: Buffer, s: number, e: number, ms: number, zoned: boolean): void {
    if (e - s > LAST_TIMESTAMP_BYTES) {
      this.lastLength = -1;
      return;
    }
    for (let i = s, k = 0; i < e; i++, k++) this.lastBytes[k] = b[i]!;
    this.lastLength = e - s;
    this.lastMs = ms;
    this.lastZoned = zoned;
  }

  finish(rows: number): Column {
    return this.column('time', rows);
  }
}

/** key equals b[s, e): a byte loop, since Buffer#compare's per-call checks cost more than comparing a short id. */
function sameBytes(key: Buffer, b: Buffer, s: number, e: number): boolean {
  if (key.length !== e - s) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== b[s + i]) return false;
  return true;
}

/**
 * Categories keyed by the cell's bytes (FNV-1a hash + byte compare), so a
 * repeated value costs no string allocation. Only an unseen value is decoded.
 */
export class CategoryBuilder implements BuilderBase {
  codes: Int32Array;
  readonly dictionary: string[] = [];
  missing = 0;
  readonly invalid = 0;
  private readonly byText = new Map<string, number>();
  private readonly byHash = new Map<number, number>();
  private readonly keys: Buffer[] = [];

  constructor(
    readonly name: string,
    readonly index: number,
    readonly role: ColumnRole,
    capacity: number,
    memory: ColumnMemory = 'own',
  ) {
    this.codes = allocColumn(Int32Array, capacity, memory);
  }

  put(row: CsvRow, r: number): boolean {
    const j = this.index;
    const b = row.bytes;
    const s = row.starts[j]!;
    const e = row.ends[j]!;
    if (isBlankBytes(b, s, e)) {
      this.missing++;
      this.codes[r] = -1;
      return false;
    }
    this.codes[r] = row.flags[j] === FIELD_ESCAPED ? this.codeOfText(row.text(j)) : this.codeOfBytes(row, j, b, s, e);
    return true;
  }

  private codeOfBytes(row: CsvRow, j: number, b: Buffer, s: number, e: number): number {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const code = this.byHash.get(h);
    if (code !== undefined) {
      const key = this.keys[code]!;
      if (sameBytes(key, b, s, e)) return code;
      return this.codeOfText(row.text(j));
    }
    const text = row.text(j);
    const found = this.byText.get(text) ?? this.add(text);
    this.byHash.set(h, found);
    return found;
  }

  private codeOfText(text: string): number {
    return this.byText.get(text) ?? this.add(text);
  }

  private add(text: string): number {
    const code = this.dictionary.length;
    this.dictionary.push(text);
    this.byText.set(text, code);
    this.keys.push(Buffer.from(text, 'utf8'));
    return code;
  }

  /** Appends another range's codes at row `at`, mapping its dictionary onto this one's (first-seen order is kept). */
  absorb(range: { codes: Int32Array; dictionary: readonly string[] }, at: number): void {
    const map = range.dictionary.map((text) => this.codeOfText(text));
    const codes = range.codes;
    const out = this.codes;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      out[at + i] = c < 0 ? -1 : map[c]!;
    }
  }

  grow(capacity: number): void {
    this.codes = resizedCopy(this.codes, capacity);
  }

  finish(rows: number): Column {
    const codes = this.codes.length === rows ? this.codes : trim(this.codes, rows);
    return { name: this.name, kind: 'category', codes, dictionary: this.dictionary };
  }
}

export type ColumnBuilder = NumberBuilder | TimeBuilder | CategoryBuilder;

/**
 * Exact-length column. When the spare capacity is small (the usual case: the
 * row estimate is within a few %) this is a view, not a copy: copying would
 * briefly double the table's memory, since V8 frees the old arrays only at
 * its next full GC. So `.buffer` may be slightly longer than the column;
 * code that serialises the bytes must use byteOffset/byteLength.
 */
function trimFloat(values: Float64Array, rows: number): Float64Array {
  return values.length === rows ? values : trim(values, rows);
}

function trim<T extends Float64Array | Int32Array>(values: T, rows: number): T {
  if (values.length - rows <= rows / 8) return values.subarray(0, rows) as T;
  return resizedCopy(values, rows);
}
