import { describe, expect, it } from 'vitest';
import { csvChunks, csvText } from '../../../src-main/core/data/csv-write';
import type { Table } from '../../../src-main/core/data/table';

const table: Table = {
  rowCount: 3,
  columns: [
    { name: 'time', kind: 'time', values: Float64Array.from([Date.UTC(2025, 0, 6), NaN, Date.UTC(2025, 0, 6, 1)]) },
    { name: 'site, name', kind: 'category', codes: Int32Array.from([0, 1, -1]), dictionary: ['Bâtiment "A"', 'plain'] },
    { name: 'kw', kind: 'number', values: Float64Array.from([1.5, NaN, -0.0001]) },
    { name: 'n', kind: 'number', values: Float64Array.from([3, 1e21, 2 / 3]) },
  ],
};

describe('CSV writer', () => {
  it('writes RFC 4180 CSV: quoted header and cells where needed, empty cells for missing values, UTF-8', () => {
    expect(csvText(table)).toBe(
      [
        'time,"site, name",kw,n',
        '2025-01-06T00:00:00.000Z,"Bâtiment ""A""",1.5,3',
        ',plain,,1e+21',
        '2025-01-06T01:00:00.000Z,,-0.0001,0.6666666666666666',
        '',
      ].join('\n'),
    );
  });

  it('gives the same bytes whatever the chunk size, and chunks are independent copies', () => {
    const whole = Buffer.concat([...csvChunks(table, 1000)]);
    const small = [...csvChunks(table, 1)];
    expect(small).toHaveLength(1 + 3);
    expect(Buffer.concat(small).equals(whole)).toBe(true);
  });

  it('writes only the header for an empty table', () => {
    expect(csvText({ rowCount: 0, columns: [{ name: 'a', kind: 'number', values: new Float64Array(0) }] })).toBe('a\n');
  });
});
