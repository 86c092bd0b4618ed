import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GreenLensError } from '../contract';
import { csvChunks } from '../core/data/csv-write';
import type { Table } from '../core/data/table';
import { fsyncDir, randomSuffix, TEMP_MARKER } from '../core/registry/atomic';
import type { JobContext } from './job';

/**
 * Streams a table to `path` atomically: a temp file in the same folder,
 * fsync, rename, fsync the folder. A reader sees the old file or the whole
 * new one, never half; a failure or cancel leaves no temp file behind.
 */
export async function writeCsvAtomic(path: string, table: Table, ctx: JobContext, field = 'out'): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}${TEMP_MARKER}${randomSuffix()}`);
  let bytes = 0;
  try {
    const fh = await open(tmp, 'wx');
    try {
      const step = 20_000;
      let chunkIndex = 0; // chunk 0 is the header line
      for (const chunk of csvChunks(table, step)) {
        bytes += (await fh.write(chunk)).bytesWritten;
        ctx.progress('writing', Math.min(chunkIndex * step, table.rowCount), table.rowCount);
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
