import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv, type CsvImportOptions } from '../../../src-main/core/data/csv-import';
import { importCsvBytes, parseCsvRange, splitAtLines } from '../../../src-main/core/data/csv-range';
import { getColumn } from '../../../src-main/core/data/table';

/**
 * A CSV import cut into ranges (issue 8 item 7) must give exactly the one-pass
 * import: the same columns, categories in the same order, the same report with
 * the same line numbers, or null (the caller then reads in one pass).
 */

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'greenlens-csv-range-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function file(content: string): Promise<string> {
  const path = join(dir, `r${++n}.csv`);
  await writeFile(path, content);
  return path;
}

/** The ranges parsed one after the other on this thread (the backend runs them on several). */
async function splitImport(path: string, options: CsvImportOptions, parts: number) {
  const bytes = new Uint8Array(await readFile(path));
  return importCsvBytes(path, bytes, options, parts, async (plan, ranges) => ranges.map((r) => parseCsvRange(bytes, r, plan)));
}

const SAMPLE = { sampleRows: 20 };

/** Quoted ids with delimiters and doubled quotes, a category, missing and unreadable cells, blank lines, CRLF. */
function quotedCrlf(rows: number): string {
  const lines = ['timestamp,building,"total, kW",note,temp'];
  for (let i = 0; i < rows; i++) {
    const t = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();
    const building = i % 3 === 0 ? '"B, ""north"""' : `B${i % 7}`;
    const kw = i % 97 === 50 ? '' : i % 211 === 100 ? 'n/a?' : (Math.sin(i) * 40 + 50).toFixed(2);
    const note = i % 5 === 0 ? '"quoted ""x"""' : i % 13 === 0 ? '' : `note ${i % 4}`;
    lines.push(`${t},${building},${kw},${note},${(i % 30) - 5}.5`);
    if (i % 400 === 399) lines.push('');
  }
  return lines.join('\r\n') + '\r\n';
}

/** Semicolons, decimal commas, day-first dates, missing values; no line break at the end. */
function european(rows: number): string {
  const lines = ['Zeit;Gebäude;Leistung kW;Temperatur'];
  for (let i = 0; i < rows; i++) {
    const d = new Date(Date.UTC(2025, 2, 1) + i * 900_000);
    const date = `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const kw = i % 61 === 7 ? '' : `${Math.floor(i / 3) % 900},${i % 100}`;
    lines.push(`${date};H${i % 4};${kw};${(i % 17) - 3},5`);
  }
  return lines.join('\n');
}

describe('importCsvBytes', () => {
  for (const parts of [2, 3, 7]) {
    it(`equals the one-pass import on quoted CRLF data with missing values, in ${parts} ranges`, async () => {
      const path = await file(quotedCrlf(3000));
      for (const missing of ['drop', 'impute-median'] as const) {
        const options = { ...SAMPLE, missing };
        const split = await splitImport(path, options, parts);
        expect(split).not.toBeNull();
        expect(split).toEqual(await importCsv(path, options));
      }
    });
  }

  it('keeps the first unreadable cell and dropped-row counts right when they are in a later range', async () => {
    const path = await file(quotedCrlf(3000));
    const split = (await splitImport(path, SAMPLE, 4))!;
    const one = await importCsv(path, SAMPLE);
    // Row 100 (line 102, after no blank line yet) is the first "n/a?"; rows 50, 147… are empty.
    expect(split.report.warnings).toEqual(one.report.warnings);
    expect(split.report.warnings).toContain('Column "total, kW": 14 cells are not a number (first on line 102).');
    expect(split.report.droppedRows).toBe(one.report.droppedRows);
    const building = getColumn(split.table, 'building');
    expect(building?.kind === 'category' && building.dictionary[0]).toBe('B, "north"');
  });

  it('equals the one-pass import on a decimal-comma, semicolon file without a final line break', async () => {
    const path = await file(european(2500));
    for (const parts of [2, 5]) {
      const split = await splitImport(path, SAMPLE, parts);
      expect(split).not.toBeNull();
      expect(split).toEqual(await importCsv(path, SAMPLE));
    }
  });

  it('counts skipped ragged rows and names the first one by its line in the file', async () => {
    const rows = quotedCrlf(2000).split('\r\n');
    rows[1500] = '2025-03-01T00:00:00Z,B1,3.5';
    const path = await file(rows.join('\r\n'));
    const options = { ...SAMPLE, ragged: 'skip' as const };
    const split = (await splitImport(path, options, 3))!;
    expect(split).toEqual(await importCsv(path, options));
    expect(split.report.warnings).toContain('Skipped 1 rows with the wrong number of fields (first on line 1501).');
  });

  it('gives null on a bad row in a later range, so the one-pass import reports it with its line and column', async () => {
    const rows = quotedCrlf(2000).split('\r\n');
    rows[1700] = '2025-03-01T00:00:00Z,B1,3.5';
    const path = await file(rows.join('\r\n'));
    expect(await splitImport(path, SAMPLE, 3)).toBeNull();
    await expect(importCsv(path, SAMPLE)).rejects.toThrow(/line 1701 \(column "note"\): expected 5 fields/);
  });

  it('gives null when a cut falls inside a quoted field holding a line break', async () => {
    const lines = ['time,id,kw,comment'];
    for (let i = 0; i < 400; i++) lines.push(`2025-01-01T${String(i % 24).padStart(2, '0')}:00:00Z,A,${i}.5,"two\nlines ${i}"`);
    const path = await file(lines.join('\n') + '\n');
    const bytes = new Uint8Array(await readFile(path));
    // Every other line feed is inside quotes: some of the cuts land there, and the range before it ends inside a row.
    const results = await Promise.all([2, 3, 4, 5, 6].map((p) => splitImport(path, SAMPLE, p)));
    expect(results.some((r) => r === null)).toBe(true);
    const one = await importCsv(path, SAMPLE);
    for (const r of results) if (r !== null) expect(r).toEqual(one);
    expect(splitAtLines(bytes, 0, 4).every((r) => r.to === bytes.length || bytes[r.to - 1] === 0x0a)).toBe(true);
  });

  it('splits at line feeds only, covering the bytes once', () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n3,4\n5,6\n7,8\n');
    const ranges = splitAtLines(bytes, 4, 3);
    expect(ranges[0]!.from).toBe(4);
    for (let k = 1; k < ranges.length; k++) expect(ranges[k]!.from).toBe(ranges[k - 1]!.to);
    expect(ranges.at(-1)).toMatchObject({ to: bytes.length, last: true });
    for (const r of ranges.slice(0, -1)) expect(bytes[r.to - 1]).toBe(0x0a);
  });
});
