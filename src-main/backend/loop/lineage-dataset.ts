import { GreenLensError } from '../../contract';
import type { VersionMeta } from '../../contract/shared/registry';
import { filterRows, type Table } from '../../core/data/table';
import type { Registry } from '../../core/registry';
import type { Dataset } from '../datasets';
import { timeColumn } from '../model/columns';
import type { BackendState } from '../state';
import { timeSpan } from './lineage';

/**
 * The kept registry dataset a champion's lineage was trained on, for a watch
 * retrain's window (ARCHITECTURE §4a): production was usually trained on a
 * dataset imported into the registry, not on a file of the watched folder, so
 * a retrain drawn from the folder alone forgets the season it knew. Walks
 * `lineage.parent` from the champion to the first version that records a
 * `trainingData.datasetId`; returns that dataset when it is still in the
 * registry and its data time overlaps `window`, else null. A deleted or
 * unreadable dataset is logged and skipped: a retrain never fails for it.
 */
export async function lineageDataset(
  registry: Registry,
  champion: VersionMeta,
  window: { fromMs: number; toMs: number },
  state: BackendState,
): Promise<Dataset | null> {
  const origin = await firstWithDataset(registry, champion, state);
  if (!origin) return null;
  const id = origin.trainingData.datasetId!;
  let ds: Dataset;
  try {
    ds = await state.datasets.get(id, async () => registry.dir);
  } catch (error) {
    const why =
      error instanceof GreenLensError && error.code === 'not_found' ? 'it is no longer in the registry' : (error as Error).message;
    state.logger.warn(`watch: dataset ${id} (${origin.model} ${origin.version} was trained on it) left out of the retrain window: ${why}.`);
    return null;
  }
  const span = timeSpan(timeColumn(ds.table, ds.roles));
  if (!span || span.toMs < window.fromMs || span.fromMs > window.toMs) return null;
  return ds;
}

/** The dataset's rows whose data time lies outside every span, or null when none does. */
export function outsideSpans(ds: Dataset, spans: { fromMs: number; toMs: number }[]): Table | null {
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

/** The champion or the nearest ancestor that records a kept dataset; null when none does (or the chain breaks). */
async function firstWithDataset(registry: Registry, champion: VersionMeta, state: BackendState): Promise<VersionMeta | null> {
  const seen = new Set<string>();
  let v: VersionMeta | null = champion;
  while (v && !seen.has(v.version)) {
    if (v.trainingData.datasetId) return v;
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
