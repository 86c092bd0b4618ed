/**
 * Streaming RFC 4180 CSV tokenizer over bytes.
 *
 * It never builds a string per cell: each completed row is handed to the
 * caller as byte spans (start/end offsets) into an internal buffer, and the
 * caller decides which cells to decode. Every structural character (quote,
 * delimiter, CR, LF) is ASCII, so scanning UTF-8 byte by byte is safe.
 *
 * Chunks may split a row anywhere (inside quotes, between CR and LF, inside
 * the BOM): the unfinished row is carried over and scanning resumes where it
 * stopped, so a long quoted field is never rescanned.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Delimiters tried by auto-detection, in tie-break order. */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

/** Field flags: how a field was written, so decoding knows what to undo. */
export const FIELD_PLAIN = 0;
export const FIELD_QUOTED = 1;
/** Quoted and containing doubled quotes ("") that must be collapsed. */
export const FIELD_ESCAPED = 2;

// Scanner states (plain numbers: const enums do not survive isolatedModules).
const ROW_START = 0;
const FIELD_START = 1;
const UNQUOTED = 2;
const QUOTED = 3;
const AFTER_QUOTE = 4;

/** Longest row accepted, in bytes: a file without line breaks is refused early instead of buffered whole. */
export const CSV_MAX_LINE_BYTES = 1 << 20;
/** Most fields accepted in a row (and so in the header). */
export const CSV_MAX_FIELDS = 10_000;

/** A malformed file; line is 1-based and physical (the header is line 1). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    /** 0-based index of the field in its row. */
    readonly field: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * One row as byte spans. Valid only during the onRow callback: the buffer is
 * reused for the next rows.
 */
export class CsvRow {
  bytes: Buffer = Buffer.alloc(0);
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  flags = new Uint8Array(16);
  /** Physical line (1-based) on which the row starts. */
  line = 0;

  text(i: number): string {
    const s = this.bytes.toString('utf8', this.starts[i]!, this.ends[i]!);
    return this.flags[i] === FIELD_ESCAPED ? s.replace(/""/g, '"') : s;
  }

  texts(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.text(i);
    return out;
  }

  /**
   * A row holding already-decoded cells (e.g. sampled rows replayed). With
   * `into`, that row is refilled (its buffers reused) and returned: a replay
   * of a thousand sampled rows made a thousand rows and eleven thousand
   * Buffers only to read each once.
   */
  static fromTexts(cells: readonly string[], line: number, into: CsvRow = new CsvRow()): CsvRow {
    let most = 0;
    for (const c of cells) most += c.length * 3;
    if (into.bytes.length < most) into.bytes = Buffer.alloc(Math.max(most, 2 * into.bytes.length));
    into.reserve(cells.length);
    let at = 0;
    for (let i = 0; i < cells.length; i++) {
      into.starts[i] = at;
      at += into.bytes.write(cells[i]!, at, 'utf8');
      into.ends[i] = at;
      into.flags[i] = FIELD_PLAIN;
    }
    into.count = cells.length;
    into.line = line;
    return into;
  }

  /** Room for `fields` fields: capacity doubles, or is exactly `fields` when exact (a cap). */
  reserve(fields: number, exact = false): void {
    if (fields <= this.starts.length) return;
    let cap = exact ? fields : this.starts.length * 2;
    while (cap < fields) cap *= 2;
    const starts = new Int32Array(cap);
    const ends = new Int32Array(cap);
    const flags = new Uint8Array(cap);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }

  /** An empty line: one unquoted empty field. */
  isBlank(): boolean {
    return this.count === 1 && this.flags[0] === FIELD_PLAIN && this.starts[0] === this.ends[0];
  }
}

/** A row over one of the tokenizer's caps (line length or field count); thrown as soon as the cap is passed. */
export class CsvLimitError extends CsvSyntaxError {
  constructor(
    message: string,
    line: number,
    readonly limit: 'line-bytes' | 'fields',
  ) {
    super(message, line, 0);
    this.name = 'CsvLimitError';
  }
}

export interface CsvTokenizerOptions {
  /** One ASCII character; detected from the header line when omitted. */
  delimiter?: string;
  /** Longest row in bytes (default CSV_MAX_LINE_BYTES). */
  maxLineBytes?: number;
  /** Most fields in a row (default CSV_MAX_FIELDS). */
  maxFields?: number;
  /** False for a range cut from the middle of a file: its first bytes are data, never a BOM. Default true. */
  atFileStart?: boolean;
}

export class CsvTokenizer {
  private buf: Buffer = Buffer.allocUnsafe(1 << 16);
  private len = 0;
  private pos = 0;
  /** Absolute file offset of buf[0] (bytes already dropped from the front). */
  private base = 0;
  private delim = -1;
  private bomChecked = false;
  private ended = false;
  private stopped = false;

  // Scanner state carried across chunks.
  private state = ROW_START;
  private rowStart = 0;
  private fieldStart = 0;
  private quotePos = 0;
  private flag = FIELD_PLAIN;
  private skipLF = false;
  private line = 1;
  private fieldLine = 1;
  private readonly row = new CsvRow();
  private rowEnd = 0;
  private readonly maxLineBytes: number;
  private readonly maxFields: number;
  /** Delimiter detection state, resumed on each chunk so the first line is scanned once. */
  private readonly sniffer = new DelimiterSniffer();

  constructor(
    private readonly onRow: (row: CsvRow) => void,
    options: CsvTokenizerOptions = {},
  ) {
    if (options.delimiter !== undefined) this.delim = delimiterCode(options.delimiter);
    if (options.atFileStart === false) this.bomChecked = true;
    this.maxLineBytes = options.maxLineBytes ?? CSV_MAX_LINE_BYTES;
    this.maxFields = options.maxFields ?? CSV_MAX_FIELDS;
    // Capacity grows up to exactly maxFields, so the cap is checked only where the row grows.
    if (this.maxFields < this.row.starts.length) {
      this.row.starts = new Int32Array(this.maxFields);
      this.row.ends = new Int32Array(this.maxFields);
      this.row.flags = new Uint8Array(this.maxFields);
    }
  }

  /** The delimiter in use, or null while it is still being detected. */
  get delimiter(): string | null {
    return this.delim < 0 ? null : String.fromCharCode(this.delim);
  }

  /** Absolute byte offset just past the last emitted row (for size estimates). */
  get bytesConsumed(): number {
    return this.rowEnd;
  }

  /** Physical line (1-based) the next row starts on. */
  get lineNumber(): number {
    return this.line;
  }

  /** True between rows: the bytes fed so far end with a complete row (not inside a field or quotes). */
  get atRowStart(): boolean {
    return this.state === ROW_START;
  }

  /** Ask the tokenizer to emit no more rows (e.g. a preview has enough). */
  stop(): void {
    this.stopped = true;
  }

  feed(chunk: Uint8Array | string): void {
    if (this.stopped) return;
    if (this.ended) throw new Error('CsvTokenizer.feed after end');
    this.append(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    if (this.prepare()) this.scan();
  }

  /** Signals the end of input: flushes a last row without a line break. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stopped || !this.prepare()) return;
    this.scan();
    if (this.stopped) return;
    const row = this.row;
    switch (this.state) {
      case ROW_START:
        return;
      case FIELD_START:
        this.pushField(this.len, this.len, FIELD_PLAIN);
        break;
      case UNQUOTED:
        this.pushField(this.fieldStart, this.len, this.flag);
        break;
      case QUOTED:
        throw new CsvSyntaxError(`a quoted field opened on line ${this.fieldLine} is never closed`, this.fieldLine, row.count);
      case AFTER_QUOTE:
        this.pushField(this.fieldStart, this.quotePos, this.flag);
        break;
    }
    this.rowEnd = this.base + this.len;
    this.emit();
    this.state = ROW_START;
  }

  private append(bytes: Uint8Array): void {
    // Drop the rows already emitted so only the unfinished row is carried over.
    const k = this.rowStart;
    if (k > 0) {
      this.buf.copyWithin(0, k, this.len);
      this.len -= k;
      this.pos -= k;
      this.fieldStart -= k;
      this.quotePos -= k;
      const { starts, ends } = this.row;
      for (let f = 0; f < this.row.count; f++) {
        starts[f]! -= k;
        ends[f]! -= k;
      }
      this.base += k;
      this.rowStart = 0;
    }
    const need = this.len + bytes.length;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = Buffer.allocUnsafe(cap);
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    this.buf.set(bytes, this.len);
    this.len = need;
  }

  /** Skips a UTF-8 BOM and detects the delimiter; false while more bytes are needed. */
  private prepare(): boolean {
    const buf = this.buf;
    if (!this.bomChecked) {
      const n = Math.min(3, this.len);
      const bom = [0xef, 0xbb, 0xbf];
      let prefix = true;
      for (let i = 0; i < n; i++) if (buf[i] !== bom[i]) prefix = false;
      if (prefix && n < 3 && !this.ended) return false;
      if (prefix && n === 3) {
        this.pos = 3;
        this.rowStart = 3;
      }
      this.bomChecked = true;
    }
    if (this.delim < 0) {
      const found = this.sniffer.scan(buf, this.pos, this.len, this.ended);
      if (found === null) {
        if (this.sniffer.widest() >= this.maxFields) throw this.tooWide(1);
        if (this.len - this.pos > this.maxLineBytes) throw this.tooLong(1);
        return false;
      }
      this.delim = found.charCodeAt(0);
    }
    return true;
  }

  private tooLong(line: number): CsvLimitError {
    const cap = this.maxLineBytes.toLocaleString('en-US');
    return new CsvLimitError(`the row is longer than ${cap} bytes without a line break (the most one row may hold)`, line, 'line-bytes');
  }

  private tooWide(line: number): CsvLimitError {
    const cap = this.maxFields.toLocaleString('en-US');
    return new CsvLimitError(`the row has more than ${cap} fields (the most one row may hold)`, line, 'fields');
  }

  /** Room for one more field; refuses a row wider than maxFields. */
  private growRow(count: number): void {
    const row = this.row;
    if (count >= this.maxFields) throw this.tooWide(row.line);
    row.reserve(Math.min(Math.max(count + 1, row.starts.length * 2), this.maxFields), true);
  }

  private pushField(start: number, end: number, flag: number): void {
    const row = this.row;
    if (row.count === row.starts.length) this.growRow(row.count);
    row.starts[row.count] = start;
    row.ends[row.count] = end;
    row.flags[row.count] = flag;
    row.count++;
  }

  private emit(): void {
    this.row.bytes = this.buf;
    this.onRow(this.row);
    this.row.count = 0;
  }

  private scan(): void {
    const buf = this.buf;
    const len = this.len;
    const d = this.delim;
    const row = this.row;
    let i = this.pos;
    let state = this.state;
    let fieldStart = this.fieldStart;
    let flag = this.flag;
    let line = this.line;

    while (i < len && !this.stopped) {
      if (state === UNQUOTED) {
        // Hot loop: runs of plain (unquoted) fields, the usual numeric row,
        // stay here without going back through the state machine per field.
        let c = 0;
        let count = row.count;
        let atRowEnd = false;
        for (;;) {
          while (i < len) {
            c = buf[i]!;
            // A byte above CR that is not the delimiter never ends a field: most bytes pass with two comparisons, not three.
            if (c <= CR || c === d) {
              if (c === d || c === LF || c === CR) break;
            }
            i++;
          }
          if (i === len) break;
          if (count === row.starts.length) this.growRow(count);
          row.starts[count] = fieldStart;
          row.ends[count] = i;
          row.flags[count] = flag;
          count++;
          i++;
          if (c !== d) {
            atRowEnd = true;
            break;
          }
          if (i < len && buf[i] !== QUOTE) {
            fieldStart = i;
            flag = FIELD_PLAIN;
            continue;
          }
          state = FIELD_START;
          break;
        }
        row.count = count;
        if (!atRowEnd) continue;
        line++;
        this.skipLF = c === CR;
        state = ROW_START;
        this.rowEnd = this.base + i;
        this.line = line;
        this.emit();
        this.rowStart = i;
        continue;
      }
      if (state === ROW_START) {
        if (this.skipLF) {
          this.skipLF = false;
          if (buf[i] === LF) {
            i++;
            this.rowStart = i;
            continue;
          }
        }
        this.rowStart = i;
        row.line = line;
        state = FIELD_START;
      }
      if (state === FIELD_START) {
        if (buf[i] === QUOTE) {
          flag = FIELD_QUOTED;
          fieldStart = i + 1;
          this.fieldLine = line;
          state = QUOTED;
          i++;
        } else {
          flag = FIELD_PLAIN;
          fieldStart = i;
          state = UNQUOTED;
        }
        continue;
      }
      if (state === QUOTED) {
        while (i < len) {
          const c = buf[i]!;
          if (c === QUOTE) break;
          if (c === LF) line++;
          i++;
        }
        if (i === len) break;
        this.quotePos = i;
        i++;
        state = AFTER_QUOTE;
        continue;
      }
      // AFTER_QUOTE: a doubled quote, or the end of the field.
      const c = buf[i]!;
      if (c === QUOTE) {
        flag = FIELD_ESCAPED;
        state = QUOTED;
        i++;
        continue;
      }
      if (c === d || c === LF || c === CR) {
        this.pushField(fieldStart, this.quotePos, flag);
        i++;
        if (c === d) {
          state = FIELD_START;
          continue;
        }
        line++;
        this.skipLF = c === CR;
        state = ROW_START;
        this.rowEnd = this.base + i;
        this.line = line;
        this.emit();
        this.rowStart = i;
        continue;
      }
      this.line = line;
      throw new CsvSyntaxError(
        `unexpected character ${JSON.stringify(String.fromCharCode(c))} after a closing quote (a quote inside a quoted field must be doubled)`,
        line,
        row.count,
      );
    }

    this.pos = i;
    this.state = state;
    this.fieldStart = fieldStart;
    this.flag = flag;
    this.line = line;
    if (state === ROW_START) this.rowStart = i;
    else if (len - this.rowStart > this.maxLineBytes) throw this.tooLong(row.line);
  }
}

function delimiterCode(delimiter: string): number {
  const code = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || code > 0x7f || code === QUOTE || code === LF || code === CR) {
    throw new RangeError(`delimiter must be one ASCII character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  return code;
}

const DELIMITER_CODES = CSV_DELIMITERS.map((c) => c.charCodeAt(0));

/**
 * Counts candidate delimiters (outside quotes) in the first line, resuming
 * where the previous chunk stopped: an unfinished first line is never
 * rescanned, so detection stays linear however the file is chunked.
 */
class DelimiterSniffer {
  private readonly counts = new Array<number>(DELIMITER_CODES.length).fill(0);
  private inQuotes = false;
  /** Bytes of the first line already counted (relative to where the line starts). */
  private scanned = 0;

  /** The delimiter once the first line is complete (or the input ended); null while more is needed. */
  scan(bytes: Uint8Array, from: number, to: number, complete: boolean): string | null {
    let i = from + this.scanned;
    let ended = false;
    for (; i < to; i++) {
      const c = bytes[i]!;
      if (c === QUOTE) this.inQuotes = !this.inQuotes;
      else if (!this.inQuotes) {
        if (c === LF || c === CR) {
          ended = true;
          break;
        }
        const k = DELIMITER_CODES.indexOf(c);
        if (k >= 0) this.counts[k]!++;
      }
    }
    this.scanned = i - from;
    if (!ended && !complete) return null;
    return this.best();
  }

  /** Fields the first line has so far with the likeliest delimiter. */
  widest(): number {
    return Math.max(...this.counts) + 1;
  }

  private best(): string {
    let best = 0;
    for (let k = 1; k < this.counts.length; k++) if (this.counts[k]! > this.counts[best]!) best = k;
    return CSV_DELIMITERS[best]!;
  }
}

/**
 * Picks the candidate delimiter that occurs most often (outside quotes) in the
 * first line; ',' when none occurs (a one-column file). Returns null when the
 * first line is not complete yet and more input may follow.
 */
export function detectDelimiter(bytes: Uint8Array, complete = true): string | null {
  return new DelimiterSniffer().scan(bytes, 0, bytes.length, complete);
}
