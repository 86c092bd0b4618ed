import { gzipSync } from 'node:zlib';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { importCsv, type CsvImportOptions } from '../../../src-main/core/data/csv-import';
import { previewCsv } from '../../../src-main/core/data/csv-preview';
import { getColumn, type Table } from '../../../src-main/core/data/table';

/** European BMS exports (issue 9 items 10–12): separators, dates, encodings and files that are not text. */

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'greenlens-csv-eu-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function file(content: string | Buffer, name = `eu${++n}.csv`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

function numbers(table: Table, name: string): number[] {
  const c = getColumn(table, name);
  if (!c || c.kind !== 'number') throw new Error(`no number column ${name}: ${c?.kind}`);
  return Array.from(c.values);
}

function isoTimes(table: Table, name: string): string[] {
  const c = getColumn(table, name);
  if (!c || c.kind !== 'time') throw new Error(`no time column ${name}: ${c?.kind}`);
  return Array.from(c.values, (v) => new Date(v).toISOString());
}

async function importError(path: string, options: CsvImportOptions = {}): Promise<GreenLensError> {
  const error = await importCsv(path, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GreenLensError);
  return error as GreenLensError;
}

const BMS = [
  'Zeitstempel;Gebäude;Energie kWh;Temperatur',
  '01.11.2026 00:00;B1;6,3;33,9',
  '01.11.2026 01:00;B1;7,25;-1,5',
  '13.11.2026 02:30;B2;3.389,9;0,75',
  '',
].join('\r\n');

describe('European number and date formats', () => {
  it('reads ; with decimal commas and dd.mm.yyyy HH:mm times (the timestamp, not the building id)', async () => {
    const { table, roles, report } = await importCsv(await file(BMS));
    expect(numbers(table, 'Energie kWh')).toEqual([6.3, 7.25, 3389.9]);
    expect(numbers(table, 'Temperatur')).toEqual([33.9, -1.5, 0.75]);
    expect(isoTimes(table, 'Zeitstempel')).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-01T01:00:00.000Z', '2026-11-13T02:30:00.000Z']);
    expect(roles).toEqual({ Zeitstempel: 'timestamp', Gebäude: 'id', 'Energie kWh': 'feature', Temperatur: 'feature' });
    expect(report.reading).toMatchObject({ encoding: 'utf-8', delimiter: ';', decimal: ',', dateFormat: 'dd/mm/yyyy' });
    expect(report.reading.inferred).toEqual({ encoding: true, delimiter: true, decimal: true, dateFormat: true });
    expect(report.reading.notes).toEqual([
      'encoding utf-8',
      "delimiter ';' (inferred from the header line)",
      "decimal ',' (inferred: 6 sampled cells like 6,3)",
      'dates dd.mm.yyyy (inferred: a first field above 12, e.g. 13.11.2026 02:30)',
    ]);
  });

  it('shows the same inference in the preview', async () => {
    const preview = await previewCsv(await file(BMS));
    expect(preview.reading.decimal).toBe(',');
    expect(preview.reading.dateFormat).toBe('dd/mm/yyyy');
    expect(preview.columns.map((c) => [c.name, c.role])).toEqual([
      ['Zeitstempel', 'timestamp'],
      ['Gebäude', 'id'],
      ['Energie kWh', 'feature'],
      ['Temperatur', 'feature'],
    ]);
  });

  it('reads quoted thousands separators with a decimal point', async () => {
    const { table, report } = await importCsv(
      await file('time,kwh\n2026-01-01T00:00Z,"3,389.9"\n2026-01-01T01:00Z,"1,234,567.25"\n2026-01-01T02:00Z,12.5\n'),
    );
    expect(numbers(table, 'kwh')).toEqual([3389.9, 1234567.25, 12.5]);
    expect(report.reading.decimal).toBe('.');
  });

  it('takes dd/mm/yyyy day-first when ambiguous and says so; month-first when a second field is above 12', async () => {
    const ambiguous = await importCsv(await file('time;kw\n01/02/2026 10:00;1\n03/04/2026 11:00;2\n'));
    expect(isoTimes(ambiguous.table, 'time')).toEqual(['2026-02-01T10:00:00.000Z', '2026-04-03T11:00:00.000Z']);
    expect(ambiguous.report.warnings).toContain(
      'Dates like 01/02/2026 10:00 could be day-first or month-first; read as day-first (dd/mm/yyyy). Set the date format to mm/dd/yyyy if that is wrong.',
    );
    const us = await importCsv(await file('time,kw\n01/02/2026 10:00,1\n01/13/2026 11:00,2\n'));
    expect(isoTimes(us.table, 'time')).toEqual(['2026-01-02T10:00:00.000Z', '2026-01-13T11:00:00.000Z']);
    expect(us.report.reading.dateFormat).toBe('mm/dd/yyyy');
  });

  it('follows a chosen date format and decimal separator over inference', async () => {
    const path = await file('time;kw\n01.02.2026 10:00;1.5\n03.04.2026 11:00;2\n');
    const { table, report } = await importCsv(path, { dateFormat: 'mm/dd/yyyy', decimal: ',' });
    // "1.5" is not a number when the decimal separator is a comma: that row (2 January) is dropped.
    expect(isoTimes(table, 'time')).toEqual(['2026-03-04T11:00:00.000Z']);
    expect(numbers(table, 'kw')).toEqual([2]);
    expect(report.droppedRows).toBe(1);
    expect(report.reading.inferred).toMatchObject({ decimal: false, dateFormat: false });
    expect(report.reading.notes).toContain("decimal ',' (as chosen)");
  });

  it('reads ISO times with offsets, with or without a space before the zone', async () => {
    const { table } = await importCsv(await file('time,kw\n2026-11-01T00:00:00+01:00,1\n2026-11-01 00:30 +01:00,2\n2026-10-31T23:45Z,3\n'));
    expect(isoTimes(table, 'time')).toEqual(['2026-10-31T23:00:00.000Z', '2026-10-31T23:30:00.000Z', '2026-10-31T23:45:00.000Z']);
  });
});

describe('encodings', () => {
  const text = 'Zeit;Température;Énergie\n2026-01-01T00:00Z;21,5;3\n2026-01-01T01:00Z;22;4\n';

  it('falls back to Windows-1252 when the bytes are not UTF-8, and says so', async () => {
    const latin = Buffer.from(text.replace('Énergie', 'Énergie€'), 'latin1');
    latin[latin.indexOf(0xac)] = 0x80; // '€' is 0x80 in Windows-1252 (latin1 cannot encode it)
    const { table, report } = await importCsv(await file(latin));
    expect(table.columns.map((c) => c.name)).toEqual(['Zeit', 'Température', 'Énergie€']);
    expect(numbers(table, 'Température')).toEqual([21.5, 22]);
    expect(report.reading.encoding).toBe('windows-1252');
    expect(report.reading.notes[0]).toBe('encoding windows-1252 (the bytes are not valid UTF-8)');
  });

  it('reads UTF-16 LE and BE with a BOM (Excel "Unicode text", tab-delimited)', async () => {
    const tabbed = text.replace(/;/g, '\t');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tabbed, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [bytes, encoding] of [
      [le, 'utf-16le'],
      [be, 'utf-16be'],
    ] as const) {
      const { table, report } = await importCsv(await file(bytes), { highWaterMark: 7 });
      expect(table.columns.map((c) => c.name)).toEqual(['Zeit', 'Température', 'Énergie']);
      expect(numbers(table, 'Énergie')).toEqual([3, 4]);
      expect(report.reading).toMatchObject({ encoding, delimiter: '\t' });
      expect(report.reading.notes[0]).toBe(`encoding ${encoding} (byte order mark)`);
    }
  });

  it('reads UTF-8 with a BOM and uses a chosen encoding as given', async () => {
    const bom = await importCsv(await file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
    expect(bom.table.columns[1]!.name).toBe('Température');
    expect(bom.report.reading.notes[0]).toBe('encoding utf-8 (byte order mark)');
    const chosen = await importCsv(await file(Buffer.from(text, 'latin1')), { encoding: 'latin1' });
    expect(chosen.table.columns[1]!.name).toBe('Température');
    expect(chosen.report.reading).toMatchObject({ encoding: 'latin1', inferred: { encoding: false } });
  });
});

describe('files that are not text', () => {
  it('refuses gzip, zip and NUL-holding files as "not a text CSV", naming the file', async () => {
    const gz = await file(gzipSync(Buffer.from('a,b\n1,2\n')), 'meters.csv.gz');
    expect((await importError(gz)).message).toBe('meters.csv.gz is not a text CSV: it is a gzip archive (unpack it first)');
    const xlsx = await file(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'meters.xlsx');
    expect((await importError(xlsx)).message).toContain('meters.xlsx is not a text CSV: it is a zip archive');
    const bin = await file(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01, 0x02, 0xff, 0x31, 0x0a]), 'blob.csv');
    const error = await previewCsv(bin).catch((e: unknown) => e as GreenLensError);
    expect((error as GreenLensError).message).toBe('blob.csv is not a text CSV: it holds binary data (NUL bytes)');
  });

  it("names the user's file, not the upload copy, when a display name is given", async () => {
    const copy = await file('a,b\n1\n', 'upload-3f2a9c.csv');
    const error = await importError(copy, { displayName: 'Zähler Halle 2.csv' });
    expect(error.message).toBe('Zähler Halle 2.csv line 2 (column "b"): expected 2 fields (as in the header), found 1');
    expect(error.info.file).toBe('Zähler Halle 2.csv');
    expect(error.info.hint).toBe(
      'Every row needs one value per header column (an empty value is fine); or skip such rows with --ragged skip (CLI) or "Rows with the wrong number of fields: skip" in the import review.',
    );
  });
});
