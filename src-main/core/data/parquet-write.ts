import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import type { Column, Table } from './table';

/**
 * A table as Parquet bytes: numbers as DOUBLE, times as TIMESTAMP (ms, UTC),
 * categories as UTF-8 strings; a missing cell is a Parquet null, so pandas and
 * Arrow read it as missing rather than as NaN or an empty string.
 */
export function tableToParquet(table: Table, rowGroupSize = 100_000): Uint8Array {
  const columnData = table.columns.map(columnSource);
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize, codec: 'UNCOMPRESSED', createdBy: 'greenlens' }));
}

function columnSource(c: Column): ColumnSource {
  if (c.kind === 'category') {
    const data = Array.from(c.codes, (code) => (code < 0 ? null : c.dictionary[code]!));
    return { name: c.name, data, type: 'STRING' };
  }
  if (c.kind === 'time') return { name: c.name, data: Array.from(c.values, (v) => (v === v ? v : null)), type: 'TIMESTAMP' };
  // A column without gaps is written REQUIRED from its Float64Array: no copy, and readers skip
  // definition levels (hyparquet then hands back a Float64Array instead of boxing every value).
  if (!c.values.includes(NaN)) return { name: c.name, data: c.values, type: 'DOUBLE', nullable: false };
  return { name: c.name, data: Array.from(c.values, (v) => (v === v ? v : null)), type: 'DOUBLE' };
}
