import { mkdtemp, readlink, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { importCsv, type CsvImportOptions } from '../../../src-main/core/data/csv-import';
import { previewCsv } from '../../../src-main/core/data/csv-preview';
import { csvChunks } from '../../../src-main/core/data/csv-write';
import { DEFAULT_START, simulate } from '../../../src-main/core/data/simulator';
import { cellText, getColumn, type Column, type Table } from '../../../src-main/core/data/table';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'greenlens-csv-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCount = 0;
async function file(content: string | Buffer, name = `f${++fileCount}.csv`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function importError(path: string, options: CsvImportOptions = {}): Promise<GreenLensError> {
  try {
    await importCsv(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(GreenLensError);
    return error as GreenLensError;
  }
  throw new Error('expected the import to fail');
}

function values(table: Table, name: string): number[] {
  const c = getColumn(table, name);
  if (!c || c.kind === 'category') throw new Error(`no numeric column ${name}`);
  return Array.from(c.values);
}

function texts(table: Table, name: string): string[] {
  const c = getColumn(table, name)!;
  return Array.from({ length: table.rowCount }, (_, r) => cellText(c, r));
}

describe('importCsv: bad files', () => {
  it('fails on a missing file with not_found', async () => {
    const e = await importError(join(dir, 'nope.csv'));
    expect(e.code).toBe('not_found');
    expect(e.info.file).toBe(join(dir, 'nope.csv'));
  });

  it('fails on an empty file, or one with only blank lines', async () => {
    for (const content of ['', '\n\n', '\ufeff']) {
      const path = await file(content);
      const e = await importError(path);
      expect(e.code).toBe('invalid_input');
      expect(e.message).toContain('file is empty');
      expect(e.info.file).toBe(path);
    }
  });

  it('fails on a header without rows', async () => {
    const e = await importError(await file('a,b\n'));
    expect(e.message).toContain('no data rows');
    expect(e.info.line).toBe(2);
  });

  it('fails when no column is numeric', async () => {
    const e = await importError(await file('name,city\nann,Paris\nbob,Oslo\n'));
    expect(e.message).toMatch(/feature column is needed/);
  });

  it('names file, line, expected and found field counts for a ragged row', async () => {
    const path = await file('a,b,c\n1,2,3\n4,5\n6,7,8\n');
    const e = await importError(path);
    expect(e.code).toBe('invalid_input');
    expect(e.info).toMatchObject({ file: path, line: 3, column: 'c' });
    expect(e.message).toContain('expected 3 fields');
    expect(e.message).toContain('found 2');
    expect(e.message).toContain('line 3');
  });

  it('counts the line of a ragged row after the sample and after quoted line breaks', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},"x\ny"`);
    rows.push('1,"z",extra');
    const e = await importError(await file(`a,note\n${rows.join('\n')}\n`), { sampleRows: 10 });
    // Header on line 1, then 30 rows of two physical lines each.
    expect(e.info.line).toBe(62);
    expect(e.message).toContain('expected 2 fields (as in the header), found 3');
  });

  it("skips and counts ragged rows with ragged: 'skip'", async () => {
    const { table, report } = await importCsv(await file('a,b\n1,2\n3\n4,5,6\n7,8\n'), { ragged: 'skip' });
    expect(values(table, 'a')).toEqual([1, 7]);
    expect(report.raggedRows).toBe(2);
    expect(report.warnings.join(' ')).toContain('first on line 3');
  });

  it('reports a malformed quote with line and column name', async () => {
    const e = await importError(await file('a,b\n1,2\n3,"x"y\n'));
    expect(e.info).toMatchObject({ line: 3, column: 'b' });
    const open = await importError(await file('a,b\n1,"never closed\n2,3\n'));
    expect(open.info).toMatchObject({ line: 2, column: 'b' });
    expect(open.message).toContain('never closed');
  });

  it('rejects overrides for unknown columns and bad options', async () => {
    const path = await file('a,b\n1,2\n');
    const e = await importError(path, { roles: { c: 'feature' } });
    expect(e.info.column).toBe('c');
    expect((await importError(path, { missing: 'guess' as 'drop' })).message).toContain('missing-value policy');
    expect((await importError(path, { delimiter: '\n' })).message).toContain('delimiter');
  });
});

describe('importCsv: missing and non-numeric cells', () => {
  const content = 'id,x,y\nA,1,10\nB,,20\nC,abc,30\nD,4,NA\nE,5,50\n';

  it('drops rows with a bad feature by default and counts cells per column', async () => {
    const { table, report } = await importCsv(await file(content));
    expect(values(table, 'x')).toEqual([1, 5]);
    expect(values(table, 'y')).toEqual([10, 50]);
    expect(texts(table, 'id')).toEqual(['A', 'E']);
    expect(report).toMatchObject({ rows: 2, droppedRows: 3, missingPolicy: 'drop', imputed: {} });
    expect(report.missing).toEqual({ id: 0, x: 1, y: 1 });
    expect(report.nonNumeric).toEqual({ id: 0, x: 1, y: 0 });
    expect(report.warnings.join(' ')).toMatch(/"x": 1 cells are not a number \(first on line 4\)/);
  });

  it('imputes the median or zero instead when asked', async () => {
    const median = await importCsv(await file(content), { missing: 'impute-median' });
    expect(values(median.table, 'x')).toEqual([1, 4, 4, 4, 5]);
    expect(values(median.table, 'y')).toEqual([10, 20, 30, 25, 50]);
    expect(median.report).toMatchObject({ rows: 5, droppedRows: 0, imputed: { x: 2, y: 1 } });
    const zero = await importCsv(await file(content), { missing: 'impute-zero' });
    expect(values(zero.table, 'x')).toEqual([1, 0, 0, 4, 5]);
  });

  it('fails with a hint when every row would be dropped', async () => {
    const e = await importError(await file('x,y\n,1\n,2\n3,\n'));
    expect(e.message).toContain('no rows left');
    expect(e.info.hint).toContain('impute');
  });

  it('keeps missing labels as NaN without dropping the row', async () => {
    const { table } = await importCsv(await file('v,is_anomaly\n1,0\n2,\n3,true\n'));
    expect(values(table, 'is_anomaly')).toEqual([0, NaN, 1]);
  });
});

describe('importCsv: formats', () => {
  it('reads quoted delimiters, doubled quotes and line breaks inside quotes', async () => {
    const { table, report } = await importCsv(
      await file('v,site,note\n1,"Main St, 4","He said ""hot"""\n"2.5",Depot,"two\nlines"\n3,"Main St, 4",x\n'),
      { roles: { note: 'ignored' }, kinds: { note: 'category' } },
    );
    expect(values(table, 'v')).toEqual([1, 2.5, 3]);
    expect(texts(table, 'site')).toEqual(['Main St, 4', 'Depot', 'Main St, 4']);
    expect(texts(table, 'note')).toEqual(['He said "hot"', 'two\nlines', 'x']);
    expect(report.delimiter).toBe(',');
  });

  it('ignores a BOM, detects ; and tab delimiters and reads CRLF', async () => {
    const semi = await importCsv(await file('\ufeffa;b\r\n1;2\r\n3;4\r\n'));
    expect(semi.table.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(values(semi.table, 'b')).toEqual([2, 4]);
    expect(semi.report.delimiter).toBe(';');
    const tab = await importCsv(await file('a\tb c\n1\t2\n'));
    expect(tab.report.delimiter).toBe('\t');
    expect(values(tab.table, 'b c')).toEqual([2]);
    const pipe = await importCsv(await file('a|b\n1|2\n'), { delimiter: '|' });
    expect(values(pipe.table, 'a')).toEqual([1]);
  });

  it('parses a timestamp column to exact epoch ms and warns about zone-less times', async () => {
    const { table, roles, report } = await importCsv(
      await file('time,kw\n2025-01-06T00:00:00.000Z,1\n2025-01-06T01:30:00+01:00,2\n2025-01-06 02:15:59.250,3\n2025-01-07,4\n'),
    );
    expect(roles).toEqual({ time: 'timestamp', kw: 'feature' });
    expect(getColumn(table, 'time')!.kind).toBe('time');
    expect(values(table, 'time')).toEqual([
      Date.UTC(2025, 0, 6),
      Date.UTC(2025, 0, 6, 0, 30),
      Date.UTC(2025, 0, 6, 2, 15, 59, 250),
      Date.UTC(2025, 0, 7),
    ]);
    expect(report.warnings.join(' ')).toContain('read as UTC');
  });

  it('drops free-text columns without storing them and renames duplicate headers', async () => {
    const notes = Array.from({ length: 150 }, (_, i) => `${i},${i * 2},"observation ${i}: fan noise reported near the east stairwell"`);
    const { table, report } = await importCsv(await file(`v,v,comment\n${notes.join('\n')}\n`));
    expect(table.columns.map((c) => c.name)).toEqual(['v', 'v_2']);
    expect(report.droppedColumns).toEqual(['comment']);
    expect(report.warnings.join(' ')).toContain('renamed column 2 to "v_2"');
  });

  it('gives the same table whatever the chunk size (BOM, quotes, CRLF split across 7-byte chunks)', async () => {
    const lines = ['\ufefftimestamp,building,"temp, °C",note,is_anomaly'];
    for (let i = 0; i < 400; i++) {
      const t = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();
      lines.push(`${t},"B""${i % 4}",${(i * 0.37).toFixed(2)},"n${i % 5}\r\nmore",${i % 97 === 0 ? 1 : 0}`);
    }
    const path = await file(lines.join('\r\n') + '\r\n');
    const big = await importCsv(path);
    const tiny = await importCsv(path, { highWaterMark: 7, sampleRows: 13 });
    expect(tiny.table).toEqual(big.table);
    expect(tiny.roles).toEqual(big.roles);
    expect(big.roles).toEqual({ timestamp: 'timestamp', building: 'id', 'temp, °C': 'feature', note: 'ignored', is_anomaly: 'label' });
    expect(texts(big.table, 'building').slice(0, 5)).toEqual(['B"0', 'B"1', 'B"2', 'B"3', 'B"0']);
    expect(texts(big.table, 'note')[2]).toBe('n2\r\nmore');
    expect(big.table.rowCount).toBe(400);
  });
});

describe('importCsv: simulator round trip', () => {
  it('imports the simulator CSV back identically, with inferred roles', async () => {
    const original = simulate({ buildings: 4, days: 20, seed: 11, anomalyRate: 0.05, drift: 'none', start: DEFAULT_START });
    const path = await file(Buffer.concat([...csvChunks(original, 500)]).toString('utf8'));
    const { table, roles, report } = await importCsv(path);
    expect(roles).toEqual({
      timestamp: 'timestamp',
      building_id: 'id',
      outdoor_temp_c: 'feature',
      humidity_pct: 'feature',
      occupancy: 'feature',
      hvac_kw: 'feature',
      lighting_kw: 'feature',
      plug_load_kw: 'feature',
      total_kw: 'feature',
      is_anomaly: 'label',
      anomaly_type: 'ignored',
    });
    expect(report).toMatchObject({ rows: original.rowCount, droppedRows: 0, droppedColumns: [] });
    expect(table.rowCount).toBe(original.rowCount);
    expect(table.columns.map((c) => [c.name, c.kind])).toEqual(original.columns.map((c) => [c.name, c.kind]));
    for (const want of original.columns) {
      const got = getColumn(table, want.name)!;
      if (want.kind === 'category') {
        // Codes may be numbered differently (first appearance); the values must match.
        const decoded = (c: Column): string[] => Array.from({ length: table.rowCount }, (_, r) => cellText(c, r));
        expect(decoded(got)).toEqual(decoded(want));
        continue;
      }
      const a = (got as { values: Float64Array }).values;
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - want.values[i]!));
      expect(worst, want.name).toBeLessThan(1e-9);
    }
    expect(getColumn(table, 'building_id')).toMatchObject({ dictionary: ['B01', 'B02', 'B03', 'B04'] });
  });
});

describe('importCsv: progress and cancellation', () => {
  it('reports progress up to the file size', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `${i},${i / 3}`).join('\n');
    const path = await file(`a,b\n${body}\n`);
    const seen: [number, number][] = [];
    await importCsv(path, { highWaterMark: 4096 }, { progress: (done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThan(10);
    const [lastDone, total] = seen[seen.length - 1]!;
    expect(lastDone).toBe(total);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThan(seen[i - 1]![0]);
  });

  it('closes the file when the progress hook throws (cancellation)', async () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `${i},${i}`).join('\n');
    const path = await file(`a,b\n${body}\n`, 'cancel.csv');
    const cancel = new GreenLensError('cancelled', 'Cancelled');
    let calls = 0;
    await expect(
      importCsv(
        path,
        { highWaterMark: 1024 },
        {
          progress() {
            if (++calls === 3) throw cancel;
          },
        },
      ),
    ).rejects.toBe(cancel);
    expect(calls).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await openFiles()).not.toContain(path);
  });
});

/** Paths this process has open (Linux), to check that a stream was closed. */
async function openFiles(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd').catch(() => [] as string[]);
  const out: string[] = [];
  for (const fd of fds) out.push(await readlink(`/proc/self/fd/${fd}`).catch(() => ''));
  return out;
}

describe('previewCsv', () => {
  it('reads only the start of a big file and estimates the row count', async () => {
    const body = Array.from({ length: 200_000 }, (_, i) => `2025-01-01T00:00:00Z,B${i % 3},${(i % 1000) / 10}`).join('\n');
    const path = await file(`time,building,kw\n${body}\n`);
    const p = await previewCsv(path, { rows: 5 });
    expect(p.header).toEqual(['time', 'building', 'kw']);
    expect(p.rows).toEqual([
      ['2025-01-01T00:00:00Z', 'B0', '0'],
      ['2025-01-01T00:00:00Z', 'B1', '0.1'],
      ['2025-01-01T00:00:00Z', 'B2', '0.2'],
      ['2025-01-01T00:00:00Z', 'B0', '0.3'],
      ['2025-01-01T00:00:00Z', 'B1', '0.4'],
    ]);
    expect(p.columns.map((c) => c.role)).toEqual(['timestamp', 'id', 'feature']);
    expect(p.exactRows).toBe(false);
    expect(p.estimatedRows).toBeCloseToRel(200_000, { rel: 0.05 });
    expect(p.delimiter).toBe(',');
  });

  it('counts rows exactly for a small file and flags a missing feature', async () => {
    const p = await previewCsv(await file('name;city\nann;Paris\nbob;Oslo\n'));
    expect(p).toMatchObject({ estimatedRows: 2, exactRows: true, delimiter: ';' });
    expect(p.warnings.join(' ')).toContain('No numeric column');
  });

  it('fails like the import on empty files', async () => {
    await expect(previewCsv(await file(''))).rejects.toThrow('file is empty');
    await expect(previewCsv(await file('a,b\n'))).rejects.toThrow('no data rows');
  });
});

describe('importCsv: Unix epoch timestamps', () => {
  const start = Date.UTC(2026, 10, 1);
  const body = (toCell: (ms: number) => string) =>
    Array.from({ length: 24 }, (_, i) => `${toCell(start + i * 3_600_000)},${20 + (i % 5)}`).join('\n') + '\n';

  it('reads epoch seconds as seconds and epoch milliseconds as milliseconds, saying which', async () => {
    for (const [cell, unit] of [
      [(ms: number) => String(ms / 1000), 'seconds'],
      [(ms: number) => String(ms), 'milliseconds'],
    ] as const) {
      const { table, roles, report } = await importCsv(await file(`timestamp,kw\n${body(cell)}`));
      expect(roles).toEqual({ timestamp: 'timestamp', kw: 'feature' });
      expect(values(table, 'timestamp').slice(0, 2)).toEqual([start, start + 3_600_000]);
      expect(report.warnings).toContain(`Column "timestamp": numbers read as Unix epoch ${unit} (UTC).`);
    }
  });

  it('choosing the timestamp role on epoch seconds in an unnamed column does not read them as milliseconds (no 1970-01-21)', async () => {
    const path = await file(`reading_at,kw\n${body((ms) => String(ms / 1000))}`);
    const { table } = await importCsv(path, { roles: { reading_at: 'timestamp' } });
    expect(new Date(values(table, 'reading_at')[0]!).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('sampled rows replayed into the columns', () => {
  it('keep escaped quotes, non-ASCII text and very long cells exactly (one reused row and buffer for the whole replay)', async () => {
    const long = 'x'.repeat(2000);
    const lines = ['site,note,kw,time'];
    // Long and short rows alternate, so a row written over a longer one must not keep the longer one's bytes.
    for (let i = 0; i < 12; i++) {
      const note = i % 3 === 0 ? long : i % 3 === 1 ? '"say ""hi"", then go"' : 'Zürich ☃ 😀';
      lines.push(`S${i % 2},${note},${'0'.repeat(500)}${i}.5,2025-01-0${1 + (i % 9)}T00:00:00Z`);
    }
    const { table } = await importCsv(await file(lines.join('\n') + '\n'), { kinds: { note: 'category' } });
    const note = getColumn(table, 'note')!;
    expect(Array.from({ length: 12 }, (_, r) => cellText(note, r))).toEqual(
      Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? long : i % 3 === 1 ? 'say "hi", then go' : 'Zürich ☃ 😀')),
    );
    expect(values(table, 'kw')).toEqual(Array.from({ length: 12 }, (_, i) => i + 0.5));
    expect(values(table, 'time')).toEqual(Array.from({ length: 12 }, (_, i) => Date.UTC(2025, 0, 1 + (i % 9))));
    const site = getColumn(table, 'site')!;
    expect(Array.from({ length: 12 }, (_, r) => cellText(site, r))).toEqual(Array.from({ length: 12 }, (_, i) => `S${i % 2}`));
  });
});
