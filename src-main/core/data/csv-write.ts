import { formatNumber, type Column, type Table } from './table';

/** Quotes a CSV cell only when it must (RFC 4180). */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COMMA = 44;
const NEWLINE = 10;
/** Widest text formatNumber can print ("-1.2345678901234567e-308" is 24). */
const NUMBER_WIDTH = 26;

/** Writes one cell of row `r` at `off` and returns the offset after it. */
type CellWriter = (buf: Buffer, off: number, r: number) => number;

/**
 * A table as CSV bytes in chunks of rows, so a caller can stream it to disk
 * without holding the whole file in memory. Cells are written straight into
 * one buffer per chunk: building each line as a string first cost more than
 * formatting the numbers.
 */
export function* csvChunks(table: Table, rowsPerChunk = 20_000): Generator<Buffer> {
  const cols = table.columns;
  yield Buffer.from(cols.map((c) => csvCell(c.name)).join(',') + '\n', 'utf8');
  if (cols.length === 0) return;
  const cells = cols.map(cellWriter);
  const lineMax = cells.reduce((sum, c) => sum + c.width + 1, 0);
  const buf = Buffer.allocUnsafe(Math.min(rowsPerChunk, Math.max(1, table.rowCount)) * lineMax);
  for (let start = 0; start < table.rowCount; start += rowsPerChunk) {
    const end = Math.min(table.rowCount, start + rowsPerChunk);
    let off = 0;
    for (let r = start; r < end; r++) {
      for (let c = 0; c < cells.length; c++) {
        off = cells[c]!.write(buf, off, r);
        buf[off++] = COMMA;
      }
      buf[off - 1] = NEWLINE;
    }
    // A copy: the next chunk reuses the buffer while a stream may still hold this one.
    yield Buffer.from(buf.subarray(0, off));
  }
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
        return code < 0 ? off : off + dict[code]!.copy(buf, off);
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
        return off + lastText.copy(buf, off);
      },
    };
  }
  return {
    width: NUMBER_WIDTH,
    write: (buf, off, r) => {
      const v = values[r]!;
      return Number.isNaN(v) ? off : off + buf.write(formatNumber(v), off, 'latin1');
    },
  };
}
