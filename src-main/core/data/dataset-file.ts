import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { GreenLensError } from '../../contract/shared/errors';
import type { DatasetInfo } from '../../contract/shared/data';
import { fsyncDir, ioError, randomSuffix, TEMP_MARKER, writeFileAtomic } from '../registry/atomic';
import type { Column, Table } from './table';

/**
 * A dataset kept in the registry: `<registry>/datasets/<id>/dataset.json`
 * (name, source file, import options, rows, columns and roles, checksum,
 * createdAt, and the info the Data tab shows) plus `columns.bin`, the typed
 * columns back to back as raw little-endian arrays (float64 for numbers and
 * times, int32 codes for categories, whose dictionaries are in the JSON).
 * Columns are written and read straight from/into their typed arrays, one at
 * a time, so a multi-million-row dataset is never copied whole in memory.
 */

export const DATASETS_DIR = 'datasets';
export const DATASET_META = 'dataset.json';
export const DATASET_DATA = 'columns.bin';
const FORMAT = 1;

const ColumnMetaSchema = z
  .object({
    name: z.string(),
    kind: z.enum(['number', 'time', 'category']),
    /** Byte offset and length in columns.bin. */
    offset: z.number().int().min(0),
    bytes: z.number().int().min(0),
    dictionary: z.array(z.string()).optional(),
  })
  .strict();

export const DatasetMetaSchema = z
  .object({
    format: z.literal(FORMAT),
    id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    name: z.string().min(1).max(200),
    /** The file it was imported from (the user's name for it), or null when generated. */
    sourceFile: z.string().nullable(),
    /** Options it was imported or generated with, as given. */
    options: z.record(z.string(), z.unknown()),
    rows: z.number().int().min(0),
    roles: z.record(z.string(), z.enum(['feature', 'timestamp', 'id', 'label', 'ignored'])),
    columns: z.array(ColumnMetaSchema),
    /** sha256 of columns.bin, hex. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
    /** What the Data tab shows without loading the columns (summary, preview, chart). */
    info: z.custom<DatasetInfo>((v) => typeof v === 'object' && v !== null),
  })
  .strict();
export type DatasetMeta = z.infer<typeof DatasetMetaSchema>;

const ID = /^[A-Za-z0-9_-]{1,80}$/;

export function datasetDir(registryDir: string, id: string): string {
  if (!ID.test(id)) throw new GreenLensError('invalid_input', `"${id}" is not a dataset id.`, { field: 'datasetId' });
  return path.join(registryDir, DATASETS_DIR, id);
}

function bytesOf(c: Column): Uint8Array {
  const a = c.kind === 'category' ? c.codes : c.values;
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Writes a dataset folder atomically: everything goes to a hidden staging
 * folder (fsynced), which is then renamed to `datasets/<id>`. A crash leaves
 * either no dataset or the whole one, never half.
 */
export async function writeDataset(
  registryDir: string,
  meta: Omit<DatasetMeta, 'format' | 'columns' | 'sha256' | 'rows'>,
  table: Table,
  /** Called after each column; it may throw to cancel (the staging folder is removed, nothing is kept). */
  progress?: (done: number, total: number) => void,
): Promise<DatasetMeta> {
  const finalDir = datasetDir(registryDir, meta.id);
  const parent = path.dirname(finalDir);
  await fs.mkdir(parent, { recursive: true });
  const staging = path.join(parent, `.${meta.id}${TEMP_MARKER}${randomSuffix()}`);
  try {
    await fs.mkdir(staging);
    const hash = createHash('sha256');
    const columns: DatasetMeta['columns'] = [];
    const handle = await fs.open(path.join(staging, DATASET_DATA), 'wx');
    try {
      let offset = 0;
      for (const c of table.columns) {
        const bytes = bytesOf(c);
        hash.update(bytes);
        await handle.write(bytes, 0, bytes.length, offset);
        columns.push({
          name: c.name,
          kind: c.kind,
          offset,
          bytes: bytes.length,
          ...(c.kind === 'category' ? { dictionary: c.dictionary } : {}),
        });
        offset += bytes.length;
        progress?.(columns.length, table.columns.length);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const full: DatasetMeta = { format: FORMAT, ...meta, rows: table.rowCount, columns, sha256: hash.digest('hex') };
    const metaHandle = await fs.open(path.join(staging, DATASET_META), 'wx');
    try {
      await metaHandle.writeFile(JSON.stringify(full));
      await metaHandle.sync();
    } finally {
      await metaHandle.close();
    }
    await fsyncDir(staging);
    await fs.rename(staging, finalDir);
    await fsyncDir(parent);
    return full;
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw ioError(error, finalDir, 'save dataset');
  }
}

/** The metadata of one kept dataset, checked; a damaged file is named. */
export async function readDatasetMeta(registryDir: string, id: string): Promise<DatasetMeta> {
  const file = path.join(datasetDir(registryDir, id), DATASET_META);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GreenLensError('not_found', `No dataset "${id}" in this registry.`, { field: 'datasetId', file });
    }
    throw ioError(error, file, 'read');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GreenLensError('invalid_input', `${file} is not valid JSON (the dataset's metadata is damaged).`, { file });
  }
  const r = DatasetMetaSchema.safeParse(parsed);
  if (!r.success || r.data.id !== id) {
    throw new GreenLensError(
      'invalid_input',
      `${file} is not a dataset description (${r.success ? 'its id differs from its folder' : r.error.issues[0]!.message}).`,
      { file },
    );
  }
  return r.data;
}

/** Every kept dataset of a registry, oldest first; damaged ones are reported, not fatal. */
export async function listDatasets(registryDir: string): Promise<{ datasets: DatasetMeta[]; problems: string[] }> {
  const dir = path.join(registryDir, DATASETS_DIR);
  const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw ioError(error, dir, 'list');
  });
  const datasets: DatasetMeta[] = [];
  const problems: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || !ID.test(name)) continue;
    try {
      datasets.push(await readDatasetMeta(registryDir, name));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  datasets.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return { datasets, problems };
}

/** The columns of a kept dataset, read one by one into their typed arrays and checked against the checksum. */
export async function readDatasetTable(registryDir: string, meta: DatasetMeta): Promise<Table> {
  const file = path.join(datasetDir(registryDir, meta.id), DATASET_DATA);
  const hash = createHash('sha256');
  const columns: Column[] = [];
  let handle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    throw ioError(error, file, 'read');
  }
  try {
    for (const c of meta.columns) {
      const width = c.kind === 'category' ? 4 : 8;
      if (c.bytes !== meta.rows * width) {
        throw new GreenLensError('invalid_input', `${file}: column "${c.name}" has ${c.bytes} bytes, not ${meta.rows} rows.`, { file });
      }
      const array = c.kind === 'category' ? new Int32Array(meta.rows) : new Float64Array(meta.rows);
      const view = new Uint8Array(array.buffer);
      let done = 0;
      while (done < c.bytes) {
        const { bytesRead } = await handle.read(view, done, c.bytes - done, c.offset + done);
        if (bytesRead === 0) throw new GreenLensError('invalid_input', `${file} is shorter than its description (truncated).`, { file });
        done += bytesRead;
      }
      hash.update(view);
      if (c.kind === 'category')
        columns.push({ name: c.name, kind: 'category', codes: array as Int32Array, dictionary: c.dictionary ?? [] });
      else columns.push({ name: c.name, kind: c.kind, values: array as Float64Array });
    }
  } finally {
    await handle.close();
  }
  if (hash.digest('hex') !== meta.sha256) {
    throw new GreenLensError('invalid_input', `${file} does not match its checksum: the dataset is damaged.`, {
      file,
      hint: 'Delete the dataset and import the file again.',
    });
  }
  return { rowCount: meta.rows, columns };
}

/** Renames a kept dataset (its metadata is rewritten atomically). */
export async function renameDataset(registryDir: string, id: string, name: string): Promise<DatasetMeta> {
  const meta = await readDatasetMeta(registryDir, id);
  const next: DatasetMeta = { ...meta, name, info: { ...meta.info, name } };
  await writeFileAtomic(path.join(datasetDir(registryDir, id), DATASET_META), JSON.stringify(next));
  return next;
}

/** Deletes a kept dataset: renamed out of sight first, so a crash never leaves half a dataset listed. */
export async function deleteDataset(registryDir: string, id: string): Promise<void> {
  const dir = datasetDir(registryDir, id);
  await readDatasetMeta(registryDir, id);
  const doomed = path.join(path.dirname(dir), `.${id}${TEMP_MARKER}deleted-${randomSuffix()}`);
  try {
    await fs.rename(dir, doomed);
    await fsyncDir(path.dirname(dir));
  } catch (error) {
    throw ioError(error, dir, 'delete');
  }
  await fs.rm(doomed, { recursive: true, force: true });
}
