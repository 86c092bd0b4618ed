import { formatNumber, type Column, type Table } from './table';

/** Quotes a CSV cell only when it must (RFC 4180). */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A table as CSV text in chunks of rows, so a caller can stream it to disk
 * without holding the whole file in memory. Extra columns (e.g. scores) can be
 * appended without copying the table.
 */
export function* csvChunks(table: Table, rowsPerChunk = 20_000): Generator<string> {
  const cols = table.columns;
  yield cols.map((c) => csvCell(c.name)).join(',') + '\n';
  // Each column gets a cell formatter; time columns cache the last ISO text
  // because hourly data repeats the same timestamp across buildings.
  const format = cols.map(cellFormatter);
  for (let start = 0; start < table.rowCount; start += rowsPerChunk) {
    const end = Math.min(table.rowCount, start + rowsPerChunk);
    const lines: string[] = new Array(end - start);
    for (let r = start; r < end; r++) {
      let line = format[0]!(r);
      for (let c = 1; c < format.length; c++) line += ',' + format[c]!(r);
      lines[r - start] = line;
    }
    yield lines.join('\n') + '\n';
  }
}

function cellFormatter(column: Column): (row: number) => string {
  if (column.kind === 'category') {
    const dict = column.dictionary.map(csvCell);
    return (r) => {
      const code = column.codes[r]!;
      return code < 0 ? '' : dict[code]!;
    };
  }
  const values = column.values;
  if (column.kind === 'time') {
    let lastT = NaN;
    let lastText = '';
    return (r) => {
      const t = values[r]!;
      if (Number.isNaN(t)) return '';
      if (t !== lastT) {
        lastT = t;
        lastText = new Date(t).toISOString();
      }
      return lastText;
    };
  }
  return (r) => {
    const v = values[r]!;
    return Number.isNaN(v) ? '' : formatNumber(v);
  };
}
