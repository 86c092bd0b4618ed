import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../../src-main/core/data/csv-import';
import { csvText } from '../../../src-main/core/data/csv-write';
import { previewCsv } from '../../../src-main/core/data/csv-preview';
import { importParquet, isParquetFile, previewParquet } from '../../../src-main/core/data/parquet-import';
import { tableToParquet } from '../../../src-main/core/data/parquet-write';
import type { Column, Table } from '../../../src-main/core/data/table';
import { tempDir } from '../../helpers/backend';

const T0 = Date.UTC(2024, 0, 1);

function sampleTable(rows: number): Table {
  const time = Float64Array.from({ length: rows }, (_, i) => T0 + i * 900_000);
  const codes = Int32Array.from({ length: rows }, (_, i) => i % 3);
  const kw = Float64Array.from({ length: rows }, (_, i) => 10 + ((i * 7) % 13) + 0.25);
  const temp = Float64Array.from({ length: rows }, (_, i) => -5.5 + (i % 40) / 4);
  const label = Float64Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? 1 : 0));
  const columns: Column[] = [
    { name: 'timestamp', kind: 'time', values: time },
    { name: 'building_id', kind: 'category', codes, dictionary: ['B01', 'B02', 'B03'] },
    { name: 'total_kw', kind: 'number', values: kw },
    { name: 'outdoor_temp_c', kind: 'number', values: temp },
    { name: 'is_anomaly', kind: 'number', values: label },
  ];
  return { rowCount: rows, columns };
}

function plain(column: Column | undefined): unknown[] {
  if (!column) return [];
  if (column.kind === 'category') return Array.from(column.codes, (c) => (c < 0 ? null : column.dictionary[c]));
  return Array.from(column.values);
}

/** A Parquet file as pandas writes one: pyarrow when /usr/bin/python3 has it, else the same schema written by hyparquet-writer. */
function pandasLikeParquet(path: string): 'pyarrow' | 'hyparquet-writer' {
  const script = `
import sys, pandas as pd, numpy as np
n = 2500
df = pd.DataFrame({
  'timestamp': pd.date_range('2024-01-01', periods=n, freq='15min', tz='UTC'),
  'meter_id': ['M%02d' % (i % 4) for i in range(n)],
  'kwh': np.arange(n, dtype='float64') / 8,
  'occupancy': np.arange(n, dtype='int64') % 50,
  'temp': (np.arange(n) % 30).astype('float32'),
  'is_anomaly': (np.arange(n) % 100 == 0),
})
df.loc[7, 'kwh'] = np.nan
df.to_parquet(sys.argv[1], engine='pyarrow', row_group_size=1000, index=False)
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' });
  if (r.status === 0) return 'pyarrow';
  const n = 2500;
  const kwh: (number | null)[] = Array.from({ length: n }, (_, i) => (i === 7 ? null : i / 8));
  const buffer = parquetWriteBuffer({
    rowGroupSize: 1000,
    columnData: [
      { name: 'timestamp', data: Array.from({ length: n }, (_, i) => new Date(T0 + i * 900_000)), type: 'TIMESTAMP' },
      { name: 'meter_id', data: Array.from({ length: n }, (_, i) => `M0${i % 4}`), type: 'STRING' },
      { name: 'kwh', data: kwh, type: 'DOUBLE' },
      { name: 'occupancy', data: Array.from({ length: n }, (_, i) => BigInt(i % 50)), type: 'INT64' },
      { name: 'temp', data: Float32Array.from({ length: n }, (_, i) => i % 30), type: 'FLOAT' },
      { name: 'is_anomaly', data: Array.from({ length: n }, (_, i) => i % 100 === 0), type: 'BOOLEAN' },
    ],
  });
  writeFileSync(path, new Uint8Array(buffer));
  return 'hyparquet-writer';
}

describe('Parquet import and output', () => {
  it('round trip: a table written as Parquet reads back with the same columns, kinds, roles and values', async () => {
    const dir = tempDir('gl-parquet-');
    const table = sampleTable(2345);
    const file = join(dir, 'meters.parquet');
    writeFileSync(file, tableToParquet(table, 1000)); // three row groups
    const { table: back, roles, report } = await importParquet(file);
    expect(back.rowCount).toBe(2345);
    expect(back.columns.map((c) => [c.name, c.kind])).toEqual(table.columns.map((c) => [c.name, c.kind]));
    expect(roles).toEqual({
      timestamp: 'timestamp',
      building_id: 'id',
      total_kw: 'feature',
      outdoor_temp_c: 'feature',
      is_anomaly: 'label',
    });
    for (const c of table.columns) expect(plain(back.columns.find((b) => b.name === c.name))).toEqual(plain(c));
    expect(report).toMatchObject({ file, rows: 2345, droppedRows: 0, raggedRows: 0, droppedColumns: [], warnings: [] });
  });

  it('gives the same dataset as importing the same data as a CSV', async () => {
    const dir = tempDir('gl-parquet-');
    const table = sampleTable(500);
    const pq = join(dir, 'same.parquet');
    const csv = join(dir, 'same.csv');
    writeFileSync(pq, tableToParquet(table));
    writeFileSync(csv, csvText(table));
    const a = await importParquet(pq);
    const b = await importCsv(csv);
    expect(a.roles).toEqual(b.roles);
    expect(a.report.columns.map(({ name, type, kind, role }) => ({ name, type, kind, role }))).toEqual(
      b.report.columns.map(({ name, type, kind, role }) => ({ name, type, kind, role })),
    );
    for (const c of b.table.columns) expect(plain(a.table.columns.find((x) => x.name === c.name))).toEqual(plain(c));
  });

  it('reads a file as pandas writes it: several row groups, int64, float32, booleans, UTC timestamps, a null feature', async () => {
    const dir = tempDir('gl-parquet-');
    const file = join(dir, 'pandas.parquet');
    const writer = pandasLikeParquet(file);
    console.log(`parquet fixture written by ${writer}`);
    const { table, roles, report } = await importParquet(file);
    expect(roles).toEqual({
      timestamp: 'timestamp',
      meter_id: 'id',
      kwh: 'feature',
      occupancy: 'feature',
      temp: 'feature',
      is_anomaly: 'label',
    });
    // Row 7 has a null kwh: dropped by the default policy and counted as missing.
    expect(table.rowCount).toBe(2499);
    expect(report.droppedRows).toBe(1);
    expect(report.missing.kwh).toBe(1);
    const time = table.columns.find((c) => c.name === 'timestamp')!;
    const kwh = table.columns.find((c) => c.name === 'kwh')!;
    const occ = table.columns.find((c) => c.name === 'occupancy')!;
    const label = table.columns.find((c) => c.name === 'is_anomaly')!;
    const id = table.columns.find((c) => c.name === 'meter_id')!;
    expect(time.kind === 'time' && [time.values[0], time.values[7], time.values[2498]]).toEqual([
      T0,
      T0 + 8 * 900_000,
      T0 + 2499 * 900_000,
    ]);
    expect(kwh.kind === 'number' && [kwh.values[0], kwh.values[7], kwh.values[2498]]).toEqual([0, 1, 2499 / 8]);
    expect(occ.kind === 'number' && occ.values[1500]).toBe(1501 % 50);
    expect(label.kind === 'number' && label.values.reduce((a, b) => a + b, 0)).toBe(25);
    expect(id.kind === 'category' && id.dictionary).toEqual(['M00', 'M01', 'M02', 'M03']);
  });

  it('fills a missing feature with the median when asked, like the CSV import', async () => {
    const dir = tempDir('gl-parquet-');
    const file = join(dir, 'gaps.parquet');
    const kw = Float64Array.from([1, NaN, 3, 5, NaN, 7]);
    writeFileSync(file, tableToParquet({ rowCount: 6, columns: [{ name: 'kw', kind: 'number', values: kw }] }));
    const { table, report } = await importParquet(file, { missing: 'impute-median' });
    expect(table.columns[0]!.kind === 'number' && Array.from(table.columns[0]!.values)).toEqual([1, 4, 3, 5, 4, 7]);
    expect(report.imputed).toEqual({ kw: 2 });
    expect(report.missing).toEqual({ kw: 2 });
  });

  it('names the file in errors: not Parquet, truncated, missing, no numeric column', async () => {
    const dir = tempDir('gl-parquet-');
    const text = join(dir, 'fake.parquet');
    writeFileSync(text, 'a,b\n1,2\n');
    await expect(importParquet(text)).rejects.toThrow(/^fake\.parquet: not a readable Parquet file/);
    const whole = tableToParquet(sampleTable(100));
    const cut = join(dir, 'cut.parquet');
    writeFileSync(cut, whole.subarray(0, whole.length - 20));
    await expect(importParquet(cut)).rejects.toThrow(/^cut\.parquet: not a readable Parquet file/);
    await expect(importParquet(join(dir, 'nope.parquet'))).rejects.toThrow(`File not found: ${join(dir, 'nope.parquet')}`);
    const words = join(dir, 'words.parquet');
    writeFileSync(
      words,
      tableToParquet({
        rowCount: 2,
        columns: [{ name: 'note', kind: 'category', codes: Int32Array.from([0, 1]), dictionary: ['x', 'y'] }],
      }),
    );
    await expect(importParquet(words)).rejects.toThrow(/^words\.parquet: no numeric column found/);
  });

  it('recognises Parquet by name or by its magic bytes, and a CSV as not Parquet', async () => {
    const dir = tempDir('gl-parquet-');
    const noExt = join(dir, 'export.bin');
    writeFileSync(noExt, tableToParquet(sampleTable(10)));
    const csv = join(dir, 'a.csv');
    writeFileSync(csv, 'PAR,x\n1,2\n');
    expect(await isParquetFile(noExt)).toBe(true);
    expect(await isParquetFile(join(dir, 'later.PARQUET'))).toBe(true);
    expect(await isParquetFile(csv)).toBe(false);
  });

  it('previews like a CSV: header, the same inferred schema, first rows as text, the exact row count', async () => {
    const dir = tempDir('gl-parquet-');
    const table = sampleTable(3000);
    const pq = join(dir, 'p.parquet');
    const csv = join(dir, 'p.csv');
    writeFileSync(pq, tableToParquet(table, 1000));
    writeFileSync(csv, csvText(table));
    const a = await previewParquet(pq, { rows: 5 });
    const b = await previewCsv(csv, { rows: 5 });
    expect(a.header).toEqual(b.header);
    expect(a.columns).toEqual(b.columns);
    expect(a).toMatchObject({ file: pq, estimatedRows: 3000, exactRows: true, warnings: [] });
    expect(a.rows).toHaveLength(5);
    expect(a.rows[1]).toEqual(['2024-01-01T00:15:00.000Z', 'B02', '17.25', '-5.25', '0']);
  });
});
