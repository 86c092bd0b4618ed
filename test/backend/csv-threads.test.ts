import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger as logger } from '../../src-main/contract/shared/log';
import { importCsvOnThreads, readsOnThreads } from '../../src-main/backend/csv-threads';
import { importTableFile } from '../../src-main/backend/table-file';
import { importCsv } from '../../src-main/core/data/csv-import';
import { csvChunks } from '../../src-main/core/data/csv-write';

// The development entry registers tsx, so a thread can run the TypeScript worker source.
const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'greenlens-csv-threads-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function rowsText(rows: number, eol: string, bad?: number): string {
  const lines = ['timestamp;building;"load; kW";temp'];
  for (let i = 0; i < rows; i++) {
    const t = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();
    const b = i % 4 === 0 ? '"B;""x"""' : `B${i % 9}`;
    const kw = i % 53 === 3 ? '' : `${(i * 7) % 1000},${i % 10}`;
    lines.push(i === bad ? `${t};${b}` : `${t};${b};${kw};${(i % 25) - 4},25`);
  }
  return lines.join(eol) + eol;
}

describe('readsOnThreads', () => {
  it('is true for the sizes parsed on the pooled threads (32–128 MB), which the CLI then does not score ahead on', () => {
    const MB = 1 << 20;
    expect([32 * MB - 1, 32 * MB, 72 * MB, 128 * MB, 128 * MB + 1].map(readsOnThreads)).toEqual([false, true, true, true, false]);
  });
});

describe('importCsvOnThreads', () => {
  it('reads a quoted, decimal-comma CRLF file with missing values in ranges parsed on another thread exactly as in one pass', async () => {
    const path = join(dir, 'eu.csv');
    await writeFile(path, rowsText(6000, '\r\n'));
    const options = { sampleRows: 50 };
    const seen: number[] = [];
    // Read in pieces of 4 KiB side by side: they must land in place whatever order they complete in.
    const split = await importCsvOnThreads(
      path,
      options,
      (done) => seen.push(done),
      { workerScript, logger },
      { ranges: 5, minBytes: 0, onThisThread: false, readBytes: 4096 },
    );
    expect(split).not.toBeNull();
    const one = await importCsv(path, options);
    expect(seen.length).toBeGreaterThan(10);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(split).toEqual(one);
    expect(one.report.reading.decimal).toBe(',');
    // Written back, the two tables are the same bytes.
    const bytes = (t: typeof one.table): string => Buffer.concat([...csvChunks(t)]).toString('utf8');
    expect(bytes(split!.table)).toBe(bytes(one.table));
    expect(seen.at(-1)).toBe(one.report.bytes);
  });

  it('stops when the progress callback throws (a cancel), with its error', async () => {
    const path = join(dir, 'cancel.csv');
    await writeFile(path, rowsText(3000, '\n'));
    const cancelled = new Error('cancelled');
    await expect(
      importCsvOnThreads(
        path,
        {},
        () => {
          throw cancelled;
        },
        { workerScript, logger },
        { ranges: 3, minBytes: 0 },
      ),
    ).rejects.toBe(cancelled);
  });

  it('falls back to one pass on a bad row in a later range, with the one-pass error naming file, line and column', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, rowsText(6000, '\n', 5000));
    const threads = { workerScript, logger };
    expect(await importCsvOnThreads(path, { sampleRows: 50 }, () => undefined, threads, { ranges: 5, minBytes: 0 })).toBeNull();
    const expected = await importCsv(path, { sampleRows: 50 }).catch((e: Error) => e.message);
    expect(expected).toBe('bad.csv line 5002 (column "load; kW"): expected 4 fields (as in the header), found 2');
    await expect(importTableFile(path, { sampleRows: 50 }, () => undefined, threads)).rejects.toThrow(expected as string);
  });
});
