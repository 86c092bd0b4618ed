import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GreenLensError } from '../../contract';
import { csvChunks } from '../../core/data/csv-write';
import type { Column, Table } from '../../core/data/table';
import { fsyncDir, randomSuffix, TEMP_MARKER } from '../../core/registry/atomic';
import type { JobContext } from '../job';

export const SCORE_COLUMN = 'anomaly_score';
export const FLAG_COLUMN = 'is_anomaly';

/**
 * The input rows plus `anomaly_score` and `is_anomaly` (DESIGN §7). Input
 * columns with those names (the simulator's label is `is_anomaly`) are kept
 * under `<name>_input`, so the file never has two columns of one name and the
 * added columns mean the same thing in every output.
 */
export function scoredTable(table: Table, scores: Float64Array, flags: Uint8Array): { table: Table; renamed: Record<string, string> } {
  const taken = new Set(table.columns.map((c) => c.name));
  const renamed: Record<string, string> = {};
  const columns: Column[] = table.columns.map((c) => {
    if (c.name !== SCORE_COLUMN && c.name !== FLAG_COLUMN) return c;
    let name = `${c.name}_input`;
    for (let k = 2; taken.has(name); k++) name = `${c.name}_input${k}`;
    taken.add(name);
    renamed[c.name] = name;
    return { ...c, name };
  });
  columns.push({ name: SCORE_COLUMN, kind: 'number', values: scores });
  columns.push({ name: FLAG_COLUMN, kind: 'number', values: Float64Array.from(flags) });
  return { table: { rowCount: table.rowCount, columns }, renamed };
}

/**
 * Streams a table to `path` atomically: a temp file in the same folder,
 * fsync, rename, fsync the folder. A reader sees the old file or the whole
 * new one, never half; a failure or cancel leaves no temp file behind.
 */
export async function writeCsvAtomic(path: string, table: Table, ctx: JobContext): Promise<number> {
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
    throw new GreenLensError('io', `Could not write ${path}: ${(error as Error).message}`, { file: path, field: 'out' });
  }
  return bytes;
}
