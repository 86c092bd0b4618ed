import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { CsvImportOptions, CsvImportResult } from '../core/data/csv-import';
import { importCsvBytes, parseClaimedRanges, type ByteRange, type CsvRangePlan, type CsvRangeResult } from '../core/data/csv-range';
import type { CsvThreads } from './csv-file';
import { runOnThread } from './model/score-threads';
import type { CsvRangeReply } from './model/score-worker';

/**
 * Reading a large CSV on several threads (core/data/csv-range.ts does the
 * cutting and merging): the file is read once into shared memory, this thread
 * and the pooled scoring threads parse its ranges, so no byte is copied
 * between threads and each range's columns are transferred back.
 * For the CLI's score of a large file (issue 8 item 7, issue 11's 876k readings).
 */

/**
 * Below this, one thread reads the file. Every thread that parses pays the
 * parser's JIT warm-up again (measured: a cold 15 MB import took 0.49 CPU-s,
 * a warm one 0.25), so splitting the 200k-row score file (15 MB) cost ~0.3
 * CPU-s for ~0.1 s of wall time at best, and lost both under load. From tens
 * of MB, halving the parse outweighs the warm-up when the cores are free (on
 * the loaded 2-core machine no size showed a wall-time gain).
 */
const PARALLEL_MIN_BYTES = 32 << 20;
/**
 * Above this the file is read in one streaming pass: the whole file is not
 * held in memory at once, and a cancel is not kept waiting for the ranges
 * (checked only between them; about two seconds at this size on the 2-core target).
 */
const PARALLEL_MAX_BYTES = 128 << 20;
/** True when a CSV of `bytes` is parsed on the pooled threads (then they are busy until it is read). */
export function readsOnThreads(bytes: number): boolean {
  return bytes >= PARALLEL_MIN_BYTES && bytes <= PARALLEL_MAX_BYTES;
}

/** Ranges the rows are cut into, claimed by the threads one at a time (enough that the last one claimed is short). */
const RANGES = 16;
/** Bytes per read of the file (the reads run side by side; each reports progress, which may throw a cancel). */
const READ_BYTES = 8 << 20;

/** Null when the file is too small or large to split, or could not be (the caller then reads it in one pass). */
export async function importCsvOnThreads(
  path: string,
  options: CsvImportOptions,
  progress: (done: number, total: number) => void,
  threads: CsvThreads,
  /** `onThisThread: false` leaves every range to the pooled threads (tests use it to be sure they parse). */
  split: { ranges?: number; minBytes?: number; onThisThread?: boolean; readBytes?: number } = {},
): Promise<CsvImportResult | null> {
  const helpers = availableParallelism() - 1;
  if (helpers < 1) return null;
  const bytes = await readShared(path, split.minBytes ?? PARALLEL_MIN_BYTES, progress, split.readBytes ?? READ_BYTES);
  if (!bytes) return null;
  const parts = split.ranges ?? RANGES;
  const result = await importCsvBytes(path, bytes, options, parts, (plan, ranges) =>
    parseRanges(bytes, plan, ranges, threads, helpers, split.onThisThread ?? true),
  );
  if (!result) threads.logger.debug('CSV not split across threads; reading it in one pass.', { path, bytes: bytes.length });
  return result;
}

/** The file in a SharedArrayBuffer, or null when it is not a file of a size in the parallel range, or cannot be opened (the one-pass import then reports why). */
async function readShared(
  path: string,
  minBytes: number,
  progress: (done: number, total: number) => void,
  readBytes: number,
): Promise<Uint8Array | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  // A read error propagates as from the one-pass import; a cancel thrown by `progress` too.
  try {
    const info = await handle.stat();
    const size = info.size;
    if (!info.isFile() || size < minBytes || size > PARALLEL_MAX_BYTES) return null;
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    // The pieces are read side by side (libuv's pool has several threads): one after another, a loaded machine
    // left this thread waiting ~0.2 s on 72 MB already in the page cache before any row was parsed.
    let done = 0;
    let shrank = false;
    const piece = async (from: number, to: number): Promise<void> => {
      for (let at = from; at < to && !shrank;) {
        const { bytesRead } = await handle.read(bytes, at, to - at, at);
        if (bytesRead === 0) {
          shrank = true; // the file shrank while read
          return;
        }
        at += bytesRead;
        done += bytesRead;
        progress(done, size);
      }
    };
    const pieces: Promise<void>[] = [];
    for (let at = 0; at < size; at += readBytes) pieces.push(piece(at, Math.min(size, at + readBytes)));
    // Every read settles before the handle closes; then the first failure (a read error, a cancel) is thrown.
    const settled = await Promise.allSettled(pieces);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    return shrank ? null : bytes;
  } finally {
    await handle.close();
  }
}

/**
 * This thread and `helpers` pooled threads claim ranges from a shared counter
 * until none is left: the pooled thread may still be starting (its start no
 * longer waits behind a fixed half of the file), and on a loaded machine the
 * faster thread takes more.
 */
async function parseRanges(
  bytes: Uint8Array,
  plan: CsvRangePlan,
  ranges: ByteRange[],
  threads: CsvThreads,
  helpers: number,
  onThisThread: boolean,
): Promise<CsvRangeResult[]> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const later = Array.from({ length: helpers }, () =>
    runOnThread<CsvRangeReply>(threads, { kind: 'csv-ranges', bytes, ranges, plan, next }, []),
  );
  // Awaited below, after this thread's ranges; a failure must not surface as unhandled meanwhile.
  for (const p of later) p.catch(() => undefined);
  const mine = onThisThread ? parseClaimedRanges(bytes, ranges, plan, () => Atomics.add(next, 0, 1)) : [];
  const results = new Array<CsvRangeResult>(ranges.length);
  for (const { index, result } of [...mine, ...(await Promise.all(later)).flatMap((r) => r.parsed)]) results[index] = result;
  return results;
}
