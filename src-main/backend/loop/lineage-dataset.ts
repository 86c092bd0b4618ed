import { basename } from 'node:path';
import { GreenLensError } from '../../contract';
import type { VersionMeta } from '../../contract/shared/registry';
import { filterRows, type Table } from '../../core/data/table';
import type { Registry } from '../../core/registry';
import type { Dataset } from '../datasets';
import { timeColumn } from '../model/columns';
import type { BackendState } from '../state';
import { dataWindowOf } from './lineage';
import { readTrainingFile } from './training-file';

/** Rows a retrain window borrows from the champion's lineage, and how its reason names them. */
export interface LineageRows {
  table: Table;
  roles: Dataset['roles'];
  label: string;
}

/**
 * The data a champion's lineage was trained on, for a watch retrain's window
 * (ARCHITECTURE §4a): production was usually trained on a dataset imported
 * into the registry, or on a file read by `greenlens train`, not on a file of
 * the watched folder, so a retrain drawn from the folder alone forgets the
 * season it knew. Walks `lineage.parent` from the champion to the first
 * version that records a `trainingData.datasetId` or `trainingData.file`;
 * returns its rows when the dataset is still in the registry (or the file
 * still holds the bytes it was trained on) and their data time overlaps
 * `window`, else null. A deleted, changed or unreadable source is logged and
 * skipped: a retrain never fails for it.
 */
export async function lineageDataset(
  registry: Registry,
  champion: VersionMeta,
  window: { fromMs: number; toMs: number },
  state: BackendState,
): Promise<LineageRows | null> {
  const origin = await firstWithTrainingData(registry, champion, state);
  if (!origin) return null;
  const owner = `${origin.model} ${origin.version}`;
  let rows: LineageRows;
  const id = origin.trainingData.datasetId;
  if (id) {
    try {
      const ds = await state.datasets.get(id, async () => registry.dir);
      rows = { table: ds.table, roles: ds.roles, label: `dataset ${id} ("${ds.info.name}")` };
    } catch (error) {
      const why =
        error instanceof GreenLensError && error.code === 'not_found' ? 'it is no longer in the registry' : (error as Error).message;
      state.logger.warn(`watch: dataset ${id} (${owner} was trained on it) left out of the retrain window: ${why}.`);
      return null;
    }
  } else {
    const file = origin.trainingData.file!;
    const read = await readTrainingFile(file, state, owner);
    if (!read) return null;
    rows = { ...read, label: `file ${basename(file.path)}` };
  }
  const span = dataWindowOf(timeColumn(rows.table, rows.roles));
  if (!span || span.toMs < window.fromMs || span.fromMs > window.toMs) return null;
  return rows;
}

/** The dataset's rows whose data time lies outside every span, or null when none does. */
export function outsideSpans(ds: Pick<Dataset, 'table' | 'roles'>, spans: { fromMs: number; toMs: number }[]): Table | null {
  const times = timeColumn(ds.table, ds.roles);
  if (!times) return null;
  const keep = new Uint8Array(times.length);
  let n = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (spans.every((s) => t < s.fromMs || t > s.toMs)) {
      keep[i] = 1;
      n++;
    }
  }
  if (n === 0) return null;
  return n === times.length ? ds.table : filterRows(ds.table, keep);
}

/** The champion or the nearest ancestor that records a kept dataset or a training file; null when none does (or the chain breaks). */
async function firstWithTrainingData(registry: Registry, champion: VersionMeta, state: BackendState): Promise<VersionMeta | null> {
  const seen = new Set<string>();
  let v: VersionMeta | null = champion;
  while (v && !seen.has(v.version)) {
    if (v.trainingData.datasetId || v.trainingData.file) return v;
    seen.add(v.version);
    const parent: string | null | undefined = v.lineage?.parent;
    if (!parent) return null;
    try {
      v = await registry.getVersion(v.model, parent);
    } catch (error) {
      state.logger.warn(`watch: ${v.model} ${parent}, parent of ${v.version}, cannot be read: ${(error as Error).message}`);
      return null;
    }
  }
  return null;
}
