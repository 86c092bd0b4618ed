import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GreenLensError } from '../contract';
import type { Logger } from '../contract/shared/log';
import { csvChunks, csvHeader, csvRowFormatter } from '../core/data/csv-write';
import type { Table } from '../core/data/table';
import { fsyncDir, randomSuffix, TEMP_MARKER } from '../core/registry/atomic';
import type { JobContext } from './job';
import { inSharedMemory } from '../core/data/column-memory';
import { runOnThread, type ThreadOptions } from './model/score-threads';
import type { CsvClaimReply, CsvClaimRequest } from './model/score-worker';

/** Other threads for a large table's rows: formatting numbers was ~0.3 s of scoring 200k rows from the CLI. */
export interface CsvThreads extends ThreadOptions {
  logger: Logger;
}

/** From this many rows a second thread formats rows too (below it, its start-up and the copy are not won back). */
const PARALLEL_MIN_ROWS = 100_000;
/**
 * Rows per chunk: at the end of a scoring both threads format until the rows run out, and the last chunk claimed
 * sets when the file is done; 10,000 rows (~20 ms to format) halve the wait on the last one that 20,000 left.
 */
const CHUNK_ROWS = 10_000;

/**
 * A table's rows being formatted on a pooled thread: it claims chunks of
 * CHUNK_ROWS rows from a counter it shares with this thread and posts each
 * chunk's bytes as it is done. Started before other work (the scoring tail
 * starts it before logging), the thread formats while this one is busy; when
 * the file is written, this thread claims what is left.
 */
export interface CsvRowsJob {
  table: Table;
  chunks: number;
  /** [0]: the next unclaimed chunk. */
  counter: Int32Array;
  /** Chunks the thread has posted, not yet written. */
  delivered: Map<number, Uint8Array>;
  /** Settles when the thread has no more to claim (or failed: then its claimed chunks are formatted here). */
  done: Promise<void>;
  failure: Error | null;
  /** Wakes the writer waiting for a chunk (or the end). */
  wake: (() => void) | null;
  /** While true, this thread formats none of the chunks itself (see formatHereAfter); it still writes those delivered. */
  hereHeld?: boolean;
}

/**
 * This thread formats none of `job`'s chunks itself until `until` settles:
 * it has other work meanwhile (the scoring tail's alert check), and every
 * chunk it took would leave the other thread idle at the end while that work
 * waited. Chunks the other thread delivers are written as they come.
 */
export function formatHereAfter(job: CsvRowsJob, until: Promise<unknown>): void {
  job.hereHeld = true;
  const release = (): void => {
    job.hereHeld = false;
    const w = job.wake;
    job.wake = null;
    w?.();
  };
  until.then(release, release);
}

/** The table with every column in shared memory (copied there once, unless the import put it there), for a thread to read without a copy of its own. */
function sharedTable(table: Table): Table {
  return {
    rowCount: table.rowCount,
    columns: table.columns.map((c) =>
      c.kind === 'category' ? { ...c, codes: inSharedMemory(c.codes) } : { ...c, values: inSharedMemory(c.values) },
    ),
  };
}

/**
 * Starts formatting `table`'s rows on another thread, once `after` settles (the pooled thread is busy until then: a
 * request now would start another thread; meanwhile this thread claims the chunks it writes itself); null when the
 * table is too small to be worth it or there is no thread script.
 */
export function startCsvRows(table: Table, threads: CsvThreads | null, after: Promise<unknown> = Promise.resolve()): CsvRowsJob | null {
  if (!threads || table.rowCount < PARALLEL_MIN_ROWS || table.columns.length === 0) return null;
  const chunks = Math.ceil(table.rowCount / CHUNK_ROWS);
  const job: CsvRowsJob = {
    table,
    chunks,
    counter: new Int32Array(new SharedArrayBuffer(4)),
    delivered: new Map(),
    done: Promise.resolve(),
    failure: null,
    wake: null,
  };
  const wake = (): void => {
    const w = job.wake;
    job.wake = null;
    w?.();
  };
  const request: CsvClaimRequest = { kind: 'csv-claim', table: sharedTable(table), rowsPerChunk: CHUNK_ROWS, counter: job.counter };
  job.done = after
    .catch(() => undefined)
    .then(() =>
      // Every chunk claimed here meanwhile: the thread is not asked at all.
      Atomics.load(job.counter, 0) >= chunks
        ? null
        : runOnThread<CsvClaimReply>(threads, request, [], {
            onChunk: (index, bytes) => {
              job.delivered.set(index, bytes);
              wake();
            },
          }),
    )
    .then(
      () => wake(),
      (error: Error) => {
        job.failure = error;
        threads.logger.warn('Formatting CSV rows on a second thread failed; formatting them on this one instead.', {
          rows: table.rowCount,
          error: error.message,
        });
        wake();
      },
    );
  return job;
}

/**
 * The table's CSV bytes in order: header, then chunks of rows. With a job,
 * this thread claims and formats the chunks the other thread has not, and
 * waits only for a chunk that thread holds; if that thread fails, this one
 * formats the chunks it had claimed.
 */
async function* tableChunks(table: Table, job: CsvRowsJob | null): AsyncGenerator<Uint8Array> {
  if (!job) {
    yield* csvChunks(table, CHUNK_ROWS);
    return;
  }
  yield csvHeader(table);
  const rows = table.rowCount;
  const format = csvRowFormatter(table, CHUNK_ROWS);
  const mine = (k: number): Buffer => format(k * CHUNK_ROWS, Math.min(rows, (k + 1) * CHUNK_ROWS));
  const held = new Map<number, Uint8Array>();
  for (let k = 0; k < job.chunks; k++) {
    for (;;) {
      const ready = held.get(k) ?? job.delivered.get(k);
      if (ready) {
        held.delete(k);
        job.delivered.delete(k);
        yield ready;
        break;
      }
      // Chunk k is the other thread's, not posted yet: format the next unclaimed one meanwhile, or wait.
      if (job.failure) {
        held.set(k, mine(k));
        continue;
      }
      const hereHeld = job.hereHeld === true;
      if (!hereHeld) {
        const c = Atomics.add(job.counter, 0, 1);
        if (c < job.chunks) {
          held.set(c, mine(c));
          continue;
        }
      }
      await new Promise<void>((resolve) => {
        job.wake = resolve;
        // Posted, failed or released between the checks above and now: no need to wait.
        if (job.delivered.has(k) || job.failure || (hereHeld && !job.hereHeld)) resolve();
      });
    }
  }
  // The thread has nothing left to claim: it is back in the pool (or its failure is logged) before the file counts as written.
  await job.done;
}

/**
 * Streams a table to `path` atomically: a temp file in the same folder,
 * fsync, rename, fsync the folder. A reader sees the old file or the whole
 * new one, never half; a failure or cancel leaves no temp file behind.
 * `beforeRename`: other work the file must not appear without (the scoring
 * tail's explanation log); it runs meanwhile, the rename waits for it, and
 * if it fails the file is not written and its error is what this rejects with.
 */
export async function writeCsvAtomic(
  path: string,
  table: Table,
  ctx: JobContext,
  field = 'out',
  threads: CsvThreads | null = null,
  /** Rows already being formatted on another thread (startCsvRows); else, with `threads`, started now. */
  started: CsvRowsJob | null = null,
  beforeRename: Promise<unknown> | null = null,
): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}${TEMP_MARKER}${randomSuffix()}`);
  let bytes = 0;
  // An error of `beforeRename`'s, passed on as it is (not as a failure to write this file); seen at the rename, and
  // handled from now on so that it is not an unhandled rejection meanwhile.
  const notOurs: { error?: unknown; failed: boolean } = { failed: false };
  beforeRename?.catch(() => undefined);
  try {
    const fh = await open(tmp, 'wx');
    // One write in flight while the next chunk is formatted (or comes from the other thread): awaiting each write
    // before formatting on left this thread idle for a thread-pool round trip per chunk. Every chunk is a buffer of
    // its own, never reused. A failed write is kept (handled at once, so it is not an unhandled rejection) and thrown.
    let writing: Promise<void> = Promise.resolve();
    // Each written chunk is flushed to disk behind the writes (one fdatasync at a time, on the thread pool), so the
    // final fsync, which this thread waits for, finds little left to flush. A failed flush fails the write, as a
    // failed final fsync would (its error is not reported twice).
    let flushing: Promise<void> = Promise.resolve();
    let failed: { error: unknown } | null = null;
    const fail = (error: unknown): void => {
      failed ??= { error };
    };
    const written = async (): Promise<void> => {
      await writing;
      if (failed) throw failed.error;
    };
    try {
      let chunkIndex = 0; // chunk 0 is the header line
      for await (const chunk of tableChunks(table, started ?? startCsvRows(table, threads))) {
        await written();
        writing = fh.write(chunk).then((r) => {
          bytes += r.bytesWritten;
          flushing = flushing.then(() => (failed ? undefined : fh.datasync())).catch(fail);
        }, fail);
        ctx.progress('writing', Math.min(chunkIndex * CHUNK_ROWS, table.rowCount), table.rowCount);
        chunkIndex++;
      }
      await written();
      await flushing;
      if (failed) throw (failed as { error: unknown }).error;
      await fh.sync();
    } finally {
      // A write or flush still running (a cancel, a failed chunk) ends before the file is closed and removed.
      await writing;
      await flushing;
      await fh.close();
    }
    if (beforeRename) {
      try {
        await beforeRename;
      } catch (error) {
        notOurs.failed = true;
        notOurs.error = error;
        throw error;
      }
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    if (notOurs.failed) throw notOurs.error;
    if (error instanceof GreenLensError) throw error;
    throw new GreenLensError('io', `Could not write ${path}: ${(error as Error).message}`, { file: path, field });
  }
  return bytes;
}
