import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { CsvImportOptions, CsvImportResult } from '../core/data/csv-import';
import { importCsvBytes, parseCsvRange, type ByteRange, type CsvRangeResult } from '../core/data/csv-range';
import type { CsvThreads } from './csv-file';
import { runOnThread } from './model/score-threads';
import type { CsvRangeReply } from './model/score-worker';

/**
 * Reading a large CSV on several threads (core/data/csv-range.ts does the
 * cutting and merging): the file is read once into shared memory, this thread
 * parses the first range and the pooled scoring threads the others, so no
 * byte is copied between threads and each range's columns are transferred back.
 * Parsing was ~0.45 CPU-s of the CLI's 200k-row score (issue 8 item 7).
 */

/** Below this, a second thread's start and the merge are not won back. */
const PARALLEL_MIN_BYTES = 4 << 20;
/**
 * Above this the file is read in one streaming pass: the whole file is not
 * held in memory at once, and a cancel is not kept waiting for the ranges
 * (checked only between them; about two seconds at this size on the 2-core target).
 */
const PARALLEL_MAX_BYTES = 128 << 20;
/** Bytes read between two progress reports (which may throw a cancel). */
const READ_BYTES = 8 << 20;

/** Null when the file is too small or large to split, or could not be (the caller then reads it in one pass). */
export async function importCsvOnThreads(
  path: string,
  options: CsvImportOptions,
  progress: (done: number, total: number) => void,
  threads: CsvThreads,
  split: { parts?: number; minBytes?: number } = {},
): Promise<CsvImportResult | null> {
  const parts = split.parts ?? availableParallelism();
  if (parts < 2) return null;
  const bytes = await readShared(path, split.minBytes ?? PARALLEL_MIN_BYTES, progress);
  if (!bytes) return null;
  const result = await importCsvBytes(path, bytes, options, parts, (plan, ranges) => parseRanges(bytes, plan, ranges, threads));
  if (!result) threads.logger.debug('CSV not split across threads; reading it in one pass.', { path, bytes: bytes.length });
  return result;
}

/** The file in a SharedArrayBuffer, or null when it is not a file of a size in the parallel range, or cannot be opened (the one-pass import then reports why). */
async function readShared(path: string, minBytes: number, progress: (done: number, total: number) => void): Promise<Uint8Array | null> {
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
    for (let at = 0; at < size;) {
      const { bytesRead } = await handle.read(bytes, at, Math.min(READ_BYTES, size - at), at);
      if (bytesRead === 0) return null; // the file shrank while read
      at += bytesRead;
      progress(at, size);
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

async function parseRanges(
  bytes: Uint8Array,
  plan: Parameters<typeof parseCsvRange>[2],
  ranges: ByteRange[],
  threads: CsvThreads,
): Promise<CsvRangeResult[]> {
  const later = ranges.slice(1).map((range) => runOnThread<CsvRangeReply>(threads, { kind: 'csv-range', bytes, range, plan }, []));
  // Awaited below, after this thread's range; a failure must not surface as unhandled meanwhile.
  for (const p of later) p.catch(() => undefined);
  const first = parseCsvRange(bytes, ranges[0]!, plan);
  const rest = await Promise.all(later);
  return [first, ...rest.map((r) => r.result)];
}
