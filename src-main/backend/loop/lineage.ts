import { GreenLensError, type OpArgs } from '../../contract';
import type { Lineage } from '../../contract/shared/loop';
import { DEFAULT_ALIAS, type TrainingDataSummary, type TrainingFile } from '../../contract/shared/registry';
import { DAY_MS, timeSpan } from '../../core/data/calendar';
import { filterRows } from '../../core/data/table';
import type { Dataset } from '../datasets';
import { timeColumn } from '../model/columns';
import { registryDirOf, currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { trainingFileOf } from './training-file';

type TrainArgs = OpArgs<'model.train'>;

/** "1–28 Jun 2026" style: the data-time window a retrain recommendation names (UTC days). */
export function windowLabel(fromMs: number, toMs: number): string {
  const format = dayFormat();
  return `${format.format(fromMs)} – ${format.format(toMs)}`;
}

/**
 * One formatter (toLocaleDateString builds one per call, ~1 ms; the health check after a drifted scoring request labels
 * a window), built on first use: building it loads the locale data, ~10 ms that every CLI command paid at start-up.
 */
let DAY_FORMAT: Intl.DateTimeFormat | null = null;
function dayFormat(): Intl.DateTimeFormat {
  return (DAY_FORMAT ??= new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }));
}

/** The last `days` of data time ending at `toMs`. */
export function lastDays(toMs: number, days: number): { fromMs: number; toMs: number } {
  return { fromMs: toMs - days * DAY_MS, toMs };
}

/** The data-time window from the first to the last finite timestamp (calendar's timeSpan as a window), or null. */
export function dataWindowOf(times: Float64Array | null): { fromMs: number; toMs: number } | null {
  const span = times ? timeSpan(times) : null;
  return span ? { fromMs: span[0], toMs: span[1] } : null;
}

/**
 * The rows of a dataset inside a data-time window [fromMs, toMs], as a
 * session-only dataset the trainers read like any other. Refuses a dataset
 * without timestamps and a window with no rows, naming both.
 */
export async function windowedDataset(ds: Dataset, window: { fromMs: number; toMs: number }, state: BackendState): Promise<Dataset> {
  const times = timeColumn(ds.table, ds.roles);
  if (!times) {
    throw new GreenLensError(
      'invalid_input',
      `Dataset ${ds.info.name} has no timestamp column, so it cannot be cut to a data-time window.`,
      {
        field: 'window',
      },
    );
  }
  const keep = new Uint8Array(times.length);
  let n = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t >= window.fromMs && t <= window.toMs) {
      keep[i] = 1;
      n++;
    }
  }
  if (n === 0) {
    const span = dataWindowOf(times);
    throw new GreenLensError(
      'invalid_input',
      `No reading of ${ds.info.name} falls in ${windowLabel(window.fromMs, window.toMs)}${span ? ` (the data covers ${windowLabel(span.fromMs, span.toMs)})` : ''}.`,
      { field: 'window' },
    );
  }
  return state.datasets.add(
    {
      name: `${ds.info.name} (${windowLabel(window.fromMs, window.toMs)})`,
      source: ds.info.source,
      table: filterRows(ds.table, keep),
      roles: ds.roles,
      sourceFile: ds.info.sourceFile ?? null,
      options: { window },
    },
    null,
  );
}

/**
 * model.train's arguments with the data cut to `window` (when given) and the
 * lineage completed: parent defaults to the version production pointed at,
 * trigger to manual, the window to the training rows' own span.
 * `keptDatasetId` names the registry dataset the rows came from when it is
 * kept there (before the window cut made a session copy), else null;
 * `trainingFile` the file they were read from when the registry keeps no
 * copy (training-file.ts), else null.
 */
export async function prepareTraining(
  args: TrainArgs,
  state: BackendState,
): Promise<TrainArgs & { lineage: Lineage; keptDatasetId: string | null; trainingFile: Promise<TrainingFile | null> }> {
  let ds = await state.datasets.get(args.datasetId, registryDirOf(state));
  const keptDatasetId = ds.info.stored ? ds.info.id : null;
  // A watch retrain's rows are the folder's files, which watch finds again itself: recording one would end the lineage walk there.
  // The file is hashed while the model is fitted (on a thread of its own) and awaited when the version is registered;
  // the catch only keeps a training that fails before then from leaving the promise's rejection unhandled.
  const trainingFile = keptDatasetId || args.lineage?.source ? Promise.resolve(null) : trainingFileOf(ds);
  trainingFile.catch(() => undefined);
  if (args.window) ds = await windowedDataset(ds, args.window, state);
  const given = args.lineage;
  let parent = given?.parent;
  if (parent === undefined) {
    const registry = await currentRegistry(state);
    const entry = (await registry.manifest()).models[args.model];
    parent = entry?.aliases[DEFAULT_ALIAS] ?? null;
  }
  const window = args.window ?? dataWindowOf(timeColumn(ds.table, ds.roles));
  const trigger = given?.trigger ?? 'manual';
  const lineage: Lineage = {
    parent,
    trigger,
    window,
    reason: given?.reason ?? (trigger === 'manual' ? 'trained by hand' : `${trigger} retrain`),
    ...(given?.source ? { source: given.source } : {}),
  };
  return { ...args, datasetId: ds.info.id, lineage, keptDatasetId, trainingFile };
}

/** A version's training-data summary, naming the kept registry dataset, or the file, its rows came from when there is one. */
export async function withDatasetId(
  args: { keptDatasetId?: string | null; trainingFile?: TrainingFile | null | Promise<TrainingFile | null> },
  summary: TrainingDataSummary,
): Promise<TrainingDataSummary> {
  if (args.keptDatasetId) return { ...summary, datasetId: args.keptDatasetId };
  const file = await args.trainingFile;
  return file ? { ...summary, file } : summary;
}
