import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createJobContext } from '../../src-main/backend/job';
import { csvText } from '../../src-main/core/data/csv-write';
import type { Table } from '../../src-main/core/data/table';

// The temp file's writes are slowed (each resolves a little later), observed and, when asked, failed.
const trace: { maxRow: () => number; atWriteDone: number[]; failWrite: number | null; syncs: string[]; failFlush: number | null } = {
  maxRow: () => -1,
  atWriteDone: [],
  failWrite: null,
  syncs: [],
  failFlush: null,
};
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      if (args[1] !== 'wx') return handle;
      const write = handle.write.bind(handle) as (b: Uint8Array) => Promise<{ bytesWritten: number; buffer: Uint8Array }>;
      let writes = 0;
      let flushes = 0;
      const datasync = handle.datasync.bind(handle);
      const sync = handle.sync.bind(handle);
      return Object.assign(handle, {
        datasync: async () => {
          const n = flushes++;
          trace.syncs.push(`datasync after ${writes} writes`);
          await datasync();
          if (n === trace.failFlush) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        },
        sync: async () => {
          trace.syncs.push(`sync after ${writes} writes`);
          await sync();
        },
        write: async (b: Uint8Array) => {
          const n = writes++;
          const r = await write(b);
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (n === trace.failWrite) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          trace.atWriteDone.push(trace.maxRow());
          return r;
        },
      });
    },
  };
});

const { writeCsvAtomic } = await import('../../src-main/backend/csv-file');
const dir = await mkdtemp(join(tmpdir(), 'gl-csv-pipe-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const ctx = createJobContext({ jobId: 't', op: 'data.export', onProgress: () => undefined, onEvent: () => undefined });

/** 50,000 rows (chunks of 10,000: five after the header) whose reads are counted: the highest row read so far. */
function watchedTable(): { table: Table; plain: Table } {
  const rows = 50_000;
  const values = Float64Array.from({ length: rows }, (_, i) => i / 8);
  let maxRow = -1;
  const watched = new Proxy(values, {
    get(target, key) {
      if (typeof key === 'string' && /^\d+$/.test(key)) maxRow = Math.max(maxRow, Number(key));
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  trace.maxRow = () => maxRow;
  return {
    table: { rowCount: rows, columns: [{ name: 'v', kind: 'number', values: watched }] },
    plain: { rowCount: rows, columns: [{ name: 'v', kind: 'number', values }] },
  };
}

describe('writeCsvAtomic formats the next chunk while the last one is written', () => {
  it('has formatted chunk k+1 by the time chunk k is written, and writes the same bytes', async () => {
    trace.atWriteDone = [];
    trace.failWrite = null;
    const { table, plain } = watchedTable();
    const path = join(dir, 'piped.csv');
    const bytes = await writeCsvAtomic(path, table, ctx);
    const expected = csvText(plain);
    expect(await readFile(path, 'utf8')).toBe(expected);
    expect(bytes).toBe(Buffer.byteLength(expected));
    // The header, then five chunks of 10,000 rows: each write's end finds the next chunk's rows read.
    expect(trace.atWriteDone).toEqual([9_999, 19_999, 29_999, 39_999, 49_999, 49_999]);
  });

  it('a failed write rejects naming the file, after the chunk in flight, and leaves no temp file', async () => {
    trace.atWriteDone = [];
    trace.failWrite = 2;
    const { table } = watchedTable();
    const path = join(dir, 'full.csv');
    await expect(writeCsvAtomic(path, table, ctx)).rejects.toMatchObject({
      code: 'io',
      message: `Could not write ${path}: ENOSPC: no space left on device, write`,
    });
    expect((await readdir(dir)).filter((f) => f.includes('full'))).toEqual([]);
  });

  it('renames the file into place only once `beforeRename` is done, and writes it meanwhile', async () => {
    trace.atWriteDone = [];
    trace.failWrite = null;
    const { plain } = watchedTable();
    const path = join(dir, 'gated.csv');
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let settled = false;
    const writing = writeCsvAtomic(path, plain, ctx, 'out', null, null, gate).finally(() => (settled = true));
    // Every chunk written and the temp file complete, the rename still waits.
    for (let i = 0; i < 200 && trace.atWriteDone.length < 6; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    expect(settled).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('gated'))).toEqual([expect.stringMatching(/^\.gated\.csv\.tmp/)]);
    release();
    expect(await writing).toBe(Buffer.byteLength(csvText(plain)));
    expect((await readdir(dir)).filter((f) => f.includes('gated'))).toEqual(['gated.csv']);
  });

  it('a failed `beforeRename` leaves no file and is what rejects (not as a failure to write the file)', async () => {
    trace.failWrite = null;
    const { plain } = watchedTable();
    const path = join(dir, 'unexplained.csv');
    const failure = new Error('explanations could not be logged');
    const gate = Promise.reject(failure);
    await expect(writeCsvAtomic(path, plain, ctx, 'out', null, null, gate)).rejects.toBe(failure);
    expect((await readdir(dir)).filter((f) => f.includes('unexplained'))).toEqual([]);
  });

  it('flushes each written chunk behind the writes, so the final fsync has little left; a failed flush fails the write', async () => {
    trace.failWrite = null;
    trace.failFlush = null;
    trace.syncs = [];
    const { plain } = watchedTable();
    await writeCsvAtomic(join(dir, 'flushed.csv'), plain, ctx);
    // The header and five chunks: six flushes, each after its write, then the final fsync.
    expect(trace.syncs.filter((e) => e.startsWith('datasync'))).toHaveLength(6);
    expect(trace.syncs.at(-1)).toBe('sync after 6 writes');
    expect(trace.syncs[0]).toMatch(/^datasync after [1-6] writes$/);

    trace.failFlush = 1;
    trace.syncs = [];
    const path = join(dir, 'unflushed.csv');
    await expect(writeCsvAtomic(path, plain, ctx)).rejects.toMatchObject({
      code: 'io',
      message: `Could not write ${path}: EIO: i/o error, fdatasync`,
    });
    expect(trace.syncs.some((e) => e.startsWith('sync'))).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('unflushed'))).toEqual([]);
    trace.failFlush = null;
  });
});
