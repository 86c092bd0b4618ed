import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatHereAfter, startCsvRows, writeCsvAtomic } from '../../src-main/backend/csv-file';
import { createJobContext } from '../../src-main/backend/job';
import type { Logger } from '../../src-main/contract/shared/log';
import { csvText } from '../../src-main/core/data/csv-write';
import { createRng } from '../../src-main/core/data/rng';
import { sliceRows, type Table } from '../../src-main/core/data/table';

// The development entry registers tsx, so a thread can run the TypeScript worker source.
const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'gl-csv-file-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every column kind, with gaps, over `rows` rows (seeded). */
function mixedTable(rows: number, seed: number): Table {
  const rng = createRng(seed);
  const number = new Float64Array(rows);
  const time = new Float64Array(rows);
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const u = rng.next();
    // Short decimals, full-precision fractions, integers and gaps.
    number[i] = u < 0.05 ? NaN : u < 0.5 ? Math.round(u * 1e4) / 100 : u < 0.9 ? u / 3 : Math.floor(u * 1000);
    time[i] = u < 0.02 ? NaN : Date.UTC(2025, 0, 1) + Math.floor(i / 7) * 3_600_000;
    codes[i] = u < 0.03 ? -1 : i % 3;
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'timestamp', kind: 'time', values: time },
      { name: 'reading', kind: 'number', values: number },
      { name: 'kind', kind: 'category', codes, dictionary: ['normal', 'spike, "quoted"', 'drift'] },
    ],
  };
}

function recordingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const none = (): void => undefined;
  return { logger: { error: none, info: none, debug: none, warn: (message: string) => warnings.push(message) }, warnings };
}

const ctx = createJobContext({ jobId: 't', op: 'model.score', onProgress: () => undefined, onEvent: () => undefined });

describe('writeCsvAtomic on two threads', () => {
  const table = mixedTable(150_001, 7);
  const expected = csvText(table);

  it('writes exactly the bytes of one thread, in order, and leaves no temp file', async () => {
    const { logger, warnings } = recordingLogger();
    const path = join(dir, 'two-threads.csv');
    const bytes = await writeCsvAtomic(path, table, ctx, 'out', { workerScript, logger });
    const text = await readFile(path, 'utf8');
    expect(text).toBe(expected);
    expect(bytes).toBe(Buffer.byteLength(expected));
    expect(warnings).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('writes the bytes of one thread from rows the other thread formatted ahead, all of them or some', async () => {
    const { logger, warnings } = recordingLogger();
    // Started early and left alone, the other thread claims every chunk before the file is written.
    const ahead = startCsvRows(table, { workerScript, logger })!;
    await ahead.done;
    expect(ahead.delivered.size).toBe(ahead.chunks);
    const path = join(dir, 'ahead.csv');
    expect(await writeCsvAtomic(path, table, ctx, 'out', null, ahead)).toBe(Buffer.byteLength(expected));
    expect(await readFile(path, 'utf8')).toBe(expected);
    // Written at once, both threads claim chunks; the file is the same.
    const both = join(dir, 'both.csv');
    await writeCsvAtomic(both, table, ctx, 'out', null, startCsvRows(table, { workerScript, logger }));
    expect(await readFile(both, 'utf8')).toBe(expected);
    expect(warnings).toEqual([]);
    // Too few rows to be worth a thread: none is started.
    expect(startCsvRows(sliceRows(table, 0, 1000, false), { workerScript, logger })).toBeNull();
  });

  it('formats the other thread’s rows on this thread when the other cannot start, and logs it', async () => {
    const { logger, warnings } = recordingLogger();
    const path = join(dir, 'fallback.csv');
    await writeCsvAtomic(path, table, ctx, 'out', { workerScript: '/nonexistent/score-worker.js', logger });
    expect(await readFile(path, 'utf8')).toBe(expected);
    expect(warnings).toEqual(['Formatting CSV rows on a second thread failed; formatting them on this one instead.']);
  });
});

describe('sliceRows', () => {
  it('gives rows [from, to) of every column, as views or as copies', () => {
    const table = mixedTable(50, 3);
    for (const copy of [false, true]) {
      const part = sliceRows(table, 10, 20, copy);
      expect(part.rowCount).toBe(10);
      expect(csvText(part).split('\n').slice(1)).toEqual(csvText(table).split('\n').slice(11, 21).concat(''));
      const reading = part.columns[1]!;
      const source = table.columns[1]!;
      if (reading.kind !== 'number' || source.kind !== 'number') throw new Error('expected number columns');
      expect(reading.values.buffer === source.values.buffer).toBe(!copy);
    }
  });
});

describe('writeCsvAtomic while the other thread is still busy', () => {
  const table = mixedTable(120_000, 8);
  const expected = csvText(table);

  it('formats every chunk here; the thread, free too late to help, is not asked; the file is the same', async () => {
    const { logger, warnings } = recordingLogger();
    let free: () => void = () => undefined;
    const busy = new Promise<void>((resolve) => (free = resolve));
    const job = startCsvRows(table, { workerScript, logger }, busy)!;
    const path = join(dir, 'busy.csv');
    const writing = writeCsvAtomic(path, table, ctx, 'out', null, job);
    // Every chunk is claimed here while the thread is busy; the write then waits for the thread to be free.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(Atomics.load(job.counter, 0)).toBeGreaterThanOrEqual(job.chunks);
    free();
    expect(await writing).toBe(Buffer.byteLength(expected));
    expect(await readFile(path, 'utf8')).toBe(expected);
    expect(job.delivered.size).toBe(0);
    expect(warnings).toEqual([]);
  }, 60_000);
});

describe('writeCsvAtomic with this thread holding off (formatHereAfter)', () => {
  const table = mixedTable(110_000, 9);
  const expected = csvText(table);
  const never = new Promise<void>(() => undefined);

  it('takes every chunk from the other thread while held, and the file is the same', async () => {
    const { logger, warnings } = recordingLogger();
    const job = startCsvRows(table, { workerScript, logger })!;
    formatHereAfter(job, never);
    const path = join(dir, 'held.csv');
    expect(await writeCsvAtomic(path, table, ctx, 'out', null, job)).toBe(Buffer.byteLength(expected));
    expect(await readFile(path, 'utf8')).toBe(expected);
    expect(warnings).toEqual([]);
  }, 60_000);

  it('formats the chunks here after all when the other thread fails, held or not (no deadlock)', async () => {
    const { logger, warnings } = recordingLogger();
    const job = startCsvRows(table, { workerScript: '/nonexistent/worker.js', logger })!;
    formatHereAfter(job, never);
    const path = join(dir, 'held-failed.csv');
    expect(await writeCsvAtomic(path, table, ctx, 'out', null, job)).toBe(Buffer.byteLength(expected));
    expect(await readFile(path, 'utf8')).toBe(expected);
    expect(warnings).toEqual(['Formatting CSV rows on a second thread failed; formatting them on this one instead.']);
  }, 60_000);

  it('formats here once released, while the other thread is still busy', async () => {
    const { logger } = recordingLogger();
    let threadFree: () => void = () => undefined;
    const busy = new Promise<void>((resolve) => (threadFree = resolve));
    let release: () => void = () => undefined;
    const job = startCsvRows(table, { workerScript, logger }, busy)!;
    formatHereAfter(job, new Promise<void>((resolve) => (release = resolve)));
    const path = join(dir, 'released.csv');
    const writing = writeCsvAtomic(path, table, ctx, 'out', null, job);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Held and the other thread busy: nothing formatted yet.
    expect(Atomics.load(job.counter, 0)).toBe(0);
    release();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(Atomics.load(job.counter, 0)).toBeGreaterThanOrEqual(job.chunks);
    threadFree();
    expect(await writing).toBe(Buffer.byteLength(expected));
    expect(await readFile(path, 'utf8')).toBe(expected);
  }, 60_000);
});
