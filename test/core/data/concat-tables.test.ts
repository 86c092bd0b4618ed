import { describe, expect, it } from 'vitest';
import { concatTables, type Table } from '../../../src-main/core/data/table';

// Rows of several files as one table (a retrain window spanning several watched files).
const t = (ids: string[], codes: number[], kw: number[], extra = false): Table => ({
  rowCount: kw.length,
  columns: [
    { name: 'building_id', kind: 'category', codes: Int32Array.from(codes), dictionary: ids },
    { name: 'kw', kind: 'number', values: Float64Array.from(kw) },
    ...(extra ? [{ name: 'note', kind: 'number' as const, values: new Float64Array(kw.length) }] : []),
  ],
});

describe('concatTables', () => {
  it('appends rows in order and remaps category codes onto one dictionary (missing stays -1)', () => {
    const { table, skipped } = concatTables([t(['B1', 'B2'], [0, 1], [1, 2]), t(['B2', 'B3'], [1, 0, -1], [3, 4, 5], true)]);
    expect(skipped).toEqual([]);
    expect(table.rowCount).toBe(5);
    // The first table's columns only: the second's extra column is dropped.
    expect(table.columns.map((c) => c.name)).toEqual(['building_id', 'kw']);
    const id = table.columns[0]!;
    if (id.kind !== 'category') throw new Error('category expected');
    expect([...id.codes].map((c) => (c < 0 ? null : id.dictionary[c]))).toEqual(['B1', 'B2', 'B3', 'B2', null]);
    expect([...(table.columns[1] as { values: Float64Array }).values]).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves out a table missing a column, or holding it as another kind, and names its index', () => {
    const noKw: Table = { rowCount: 1, columns: [{ name: 'building_id', kind: 'category', codes: Int32Array.of(0), dictionary: ['B9'] }] };
    const textKw: Table = {
      rowCount: 1,
      columns: [
        { name: 'building_id', kind: 'category', codes: Int32Array.of(0), dictionary: ['B9'] },
        { name: 'kw', kind: 'category', codes: Int32Array.of(0), dictionary: ['high'] },
      ],
    };
    const { table, skipped } = concatTables([t(['B1'], [0], [7]), noKw, textKw, t(['B1'], [0], [8])]);
    expect(skipped).toEqual([1, 2]);
    expect([...(table.columns[1] as { values: Float64Array }).values]).toEqual([7, 8]);
  });
});
