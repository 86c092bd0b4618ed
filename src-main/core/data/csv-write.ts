import { formatNumber, type Column, type Table } from './table';

/** Quotes a CSV cell only when it must (RFC 4180). */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const POW10 = [1, 10, 100, 1000, 10000];
/** Widest text formatNumber can print ("-1.2345678901234567e-308" is 24). */
const NUMBER_WIDTH = 26;

/** Writes one cell of row `r` at `off` and returns the offset after it. */
type CellWriter = (buf: Buffer, off: number, r: number) => number;

/** The header line of a table's CSV. */
export function csvHeader(table: Table): Buffer {
  return Buffer.from(table.columns.map((c) => csvCell(c.name)).join(',') + '\n', 'utf8');
}

/**
 * Formats rows [start, end) of a table (at most `rowsPerChunk` of them) as CSV
 * lines, without the header. Each call returns a Buffer of its own; the rows
 * are formatted into one scratch buffer kept between calls. Cells are written
 * straight into it: building each line as a string first cost more than
 * formatting the numbers. Rows may be formatted in any order, on any thread:
 * a row's bytes depend on its cells alone.
 */
export function csvRowFormatter(table: Table, rowsPerChunk: number): (start: number, end: number) => Buffer {
  const cells = table.columns.map(cellWriter);
  const lineMax = cells.reduce((sum, c) => sum + c.width + 1, 0);
  const buf = Buffer.allocUnsafe(Math.min(rowsPerChunk, Math.max(1, table.rowCount)) * lineMax);
  return (start, end) => {
    if (cells.length === 0) return Buffer.alloc(0);
    let off = 0;
    for (let r = start; r < end; r++) {
      for (let c = 0; c < cells.length; c++) {
        off = cells[c]!.write(buf, off, r);
        buf[off++] = COMMA;
      }
      buf[off - 1] = NEWLINE;
    }
    // A copy: the next call reuses the scratch buffer while a stream may still hold this one.
    return Buffer.from(buf.subarray(0, off));
  };
}

/**
 * A table as CSV bytes in chunks of rows (the header first), so a caller can
 * stream it to disk without holding the whole file in memory.
 */
export function* csvChunks(table: Table, rowsPerChunk = 20_000): Generator<Buffer> {
  yield csvHeader(table);
  if (table.columns.length === 0) return;
  const rows = csvRowFormatter(table, rowsPerChunk);
  for (let start = 0; start < table.rowCount; start += rowsPerChunk) yield rows(start, Math.min(table.rowCount, start + rowsPerChunk));
}

/** The whole table as CSV text (small tables and tests). */
export function csvText(table: Table): string {
  return Buffer.concat([...csvChunks(table)]).toString('utf8');
}

function cellWriter(column: Column): { write: CellWriter; width: number } {
  if (column.kind === 'category') {
    const dict = column.dictionary.map((d) => Buffer.from(csvCell(d), 'utf8'));
    return {
      width: dict.reduce((w, d) => Math.max(w, d.length), 0),
      write: (buf, off, r) => {
        const code = column.codes[r]!;
        return code < 0 ? off : writeBytes(buf, off, dict[code]!);
      },
    };
  }
  const values = column.values;
  if (column.kind === 'time') {
    // Hourly data repeats each timestamp across buildings: encode it once per change.
    let lastT = NaN;
    let lastText = Buffer.alloc(0);
    return {
      width: 30,
      write: (buf, off, r) => {
        const t = values[r]!;
        if (Number.isNaN(t)) return off;
        if (t !== lastT) {
          lastT = t;
          lastText = Buffer.from(new Date(t).toISOString(), 'latin1');
        }
        return writeBytes(buf, off, lastText);
      },
    };
  }
  return {
    width: NUMBER_WIDTH,
    write: (buf, off, r) => {
      const v = values[r]!;
      return Number.isNaN(v) ? off : writeNumber(buf, off, v);
    },
  };
}

/**
 * formatNumber(v) as latin1 bytes at `off`; returns the offset after it.
 * Whole numbers and exact decimals of up to 4 digits (most sensor readings)
 * have their digits written straight into the buffer, which is what
 * formatNumber prints for them (String(v)); making a string per cell and
 * copying it with buf.write cost more than the rest of the writer. Any
 * other value is formatNumber's text.
 */
export function writeNumber(buf: Buffer, off: number, v: number): number {
  if (Number.isInteger(v)) {
    if (v > -1e15 && v < 1e15) return writeDigits(buf, off, v, 0);
    return writeAscii(buf, off, formatNumber(v));
  }
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e11) {
    for (let d = 1; d <= 4; d++) {
      const p = POW10[d]!;
      const n = Math.round(a * p);
      if (n / p === a) return writeDigits(buf, off, v < 0 ? -n : n, d);
    }
    // Not an exact decimal of up to 4 digits, in formatNumber's decimal range: it prints String(v) (the same tests would fail there again).
    return writeAscii(buf, off, String(v));
  }
  return writeAscii(buf, off, formatNumber(v));
}

const scratch = new Uint8Array(24);

/** Decimal digits of m (0 ≤ m < 2^31). */
function digitCount(m: number): number {
  if (m < 100_000) return m < 100 ? (m < 10 ? 1 : 2) : m < 1000 ? 3 : m < 10_000 ? 4 : 5;
  return m < 10_000_000 ? (m < 1_000_000 ? 6 : 7) : m < 100_000_000 ? 8 : m < 1_000_000_000 ? 9 : 10;
}

/**
 * The integer n (|n| < 1e15) with a point before its last `decimals` digits, zero-padded like "0.05". Most cells
 * (readings with a few decimals, flags) fit in 31 bits: their digits are written from the end, straight into the
 * buffer, dividing as int32 (V8 turns `(m / 10) | 0` into a multiply), a third faster than the general path below.
 */
function writeDigits(buf: Buffer, off: number, n: number, decimals: number): number {
  if (n < 0) {
    buf[off++] = MINUS;
    n = -n;
  }
  if (n > 0x7fffffff) return writeWideDigits(buf, off, n, decimals);
  let m = n | 0;
  const len = Math.max(digitCount(m), decimals + 1);
  const end = off + len + (decimals > 0 ? 1 : 0);
  let at = end;
  for (let i = 0; i < decimals; i++) {
    const q = (m / 10) | 0;
    buf[--at] = ZERO + (m - q * 10);
    m = q;
  }
  if (decimals > 0) buf[--at] = DOT;
  do {
    const q = (m / 10) | 0;
    buf[--at] = ZERO + (m - q * 10);
    m = q;
  } while (at > off);
  return end;
}

/** writeDigits for 2^31 ≤ n < 1e15 (n ≥ 0): float division, digits reversed through a scratch buffer. */
function writeWideDigits(buf: Buffer, off: number, n: number, decimals: number): number {
  let len = 0;
  do {
    const q = Math.floor(n / 10);
    scratch[len++] = ZERO + (n - q * 10);
    n = q;
  } while (n > 0);
  while (len <= decimals) scratch[len++] = ZERO;
  for (let i = len - 1; i >= 0; i--) {
    buf[off++] = scratch[i]!;
    if (i === decimals && decimals > 0) buf[off++] = DOT;
  }
  return off;
}

/** Short cells: a byte loop beats Buffer#copy, whose per-call checks cost more than the copy. */
function writeBytes(buf: Buffer, off: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[off++] = bytes[i]!;
  return off;
}

function writeAscii(buf: Buffer, off: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[off++] = text.charCodeAt(i);
  return off;
}
