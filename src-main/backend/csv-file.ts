import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GreenLensError } from '../contract';
import type { Logger } from '../contract/shared/log';
import { csvChunks } from '../core/data/csv-write';
import { sliceRows, type Table } from '../core/data/table';
import { fsyncDir, randomSuffix, TEMP_MARKER } from '../core/registry/atomic';
import type { JobContext } from './job';
import { runOnThread, type ThreadOptions } from './model/score-threads';
import type { CsvRowsReply } from './model/score-worker';

/** A second thread for a large table's rows: formatting numbers was ~0.3 s of scoring 200k rows from the CLI. */
export interface CsvThreads extends ThreadOptions {
  logger: Logger;
}

/** From this many rows a second thread formats the second half (below it, its start-up and the copy are not won back). */
const PARALLEL_MIN_ROWS = 100_000;
const CHUNK_ROWS = 20_000;

/**
 * The table's CSV bytes in order: header, then chunks of rows. With `threads`
 * and a large table, another thread formats the second half while this one
 * formats the first; if it fails, this thread formats that half too (logged).
 */
async function* tableChunks(table: Table, threads: CsvThreads | null): AsyncGenerator<Uint8Array> {
  const rows = table.rowCount;
  if (!threads || rows < PARALLEL_MIN_ROWS) {
    yield* csvChunks(table, CHUNK_ROWS);
    return;
  }
  const mid = Math.ceil(rows / 2);
  const rest = sliceRows(table, mid, rows, true);
  const transfer = rest.columns.map((c) => (c.kind === 'category' ? c.codes.buffer : c.values.buffer) as ArrayBuffer);
  const later = runOnThread<CsvRowsReply>(threads, { kind: 'csv-rows', table: rest, rowsPerChunk: CHUNK_ROWS }, transfer);
  // Awaited below, after the first half; a failure must not surface as unhandled meanwhile.
  later.catch(() => undefined);
  yield* csvChunks(sliceRows(table, 0, mid, false), CHUNK_ROWS);
  try {
    yield* (await later).chunks;
  } catch (error) {
    threads.logger.warn('Formatting CSV rows on a second thread failed; formatting them on this one instead.', {
      rows: rows - mid,
      error: (error as Error).message,
    });
    let header = true;
    for (const chunk of csvChunks(sliceRows(table, mid, rows, false), CHUNK_ROWS)) {
      if (!header) yield chunk;
      header = false;
    }
  }
}

/**
 * Streams a table to `path` atomically: a temp file in the same folder,
 * fsync, rename, fsync the folder. A reader sees the old file or the whole
 * new one, never half; a failure or cancel leaves no temp file behind.
 */
export async function writeCsvAtomic(
  path: string,
  table: Table,
  ctx: JobContext,
  field = 'out',
  threads: CsvThreads | null = null,
): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}${TEMP_MARKER}${randomSuffix()}`);
  let bytes = 0;
  try {
    const fh = await open(tmp, 'wx');
    try {
      let chunkIndex = 0; // chunk 0 is the header line
      for await (const chunk of tableChunks(table, threads)) {
        bytes += (await fh.write(chunk)).bytesWritten;
        ctx.progress('writing', Math.min(chunkIndex * CHUNK_ROWS, table.rowCount), table.rowCount);
        chunkIndex++;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    if (error instanceof GreenLensError) throw error;
    throw new GreenLensError('io', `Could not write ${path}: ${(error as Error).message}`, { file: path, field });
  }
  return bytes;
}
