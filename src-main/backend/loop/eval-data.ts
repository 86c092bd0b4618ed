import { basename, resolve } from 'node:path';
import { GreenLensError } from '../../contract';
import type { CsvReadOptions } from '../../contract/ops/data';
import type { EvaluationResult } from '../../contract/shared/loop';
import type { Column } from '../../core/data/table';
import { filterRows } from '../../core/data/table';
import type { Dataset } from '../datasets';
import type { JobContext } from '../job';
import { labelColumn, timeColumn } from '../model/columns';
import { predictionLog } from '../prediction-sink';
import { registryDirOf } from '../registry-access';
import type { BackendState } from '../state';
import { importTableFile } from '../table-file';
import { dataWindowOf } from './lineage';

export type EvaluationData = { datasetId: string } | { path: string; csv?: CsvReadOptions | undefined } | { fromMs: number; toMs: number };

/** A CSV or Parquet file as a session-only dataset (never kept in the registry). */
export async function importFileDataset(
  path: string,
  csv: CsvReadOptions | undefined,
  ctx: JobContext,
  state: BackendState,
): Promise<Dataset> {
  const full = resolve(path);
  const { table, roles, report } = await importTableFile(full, csv ?? {}, (read, total) => ctx.progress('reading', read, total));
  for (const warning of report.warnings) state.logger.warn(`Import of ${full}: ${warning}`);
  return state.datasets.add(
    { name: basename(full), source: 'imported', table, roles, sourceFile: full, options: {}, import: report },
    null,
  );
}

/**
 * The logged readings of the model whose own timestamps fall in [fromMs, toMs),
 * as a dataset: the logged feature values, the data time and the label where
 * one was logged. (The log keeps no building id, so a version that scales per
 * building or a contextual one needs a dataset or file instead.)
 */
async function loggedDataset(
  log: { model: string; version: string; features: string[] },
  fromMs: number,
  toMs: number,
  state: BackendState,
): Promise<Dataset> {
  const { model, version, features } = log;
  const cols: { time: number[]; label: number[]; values: number[][] } = { time: [], label: [], values: features.map(() => []) };
  // Only the readings the champion scored: a reading scored by several versions is in the log once per version.
  await (
    await predictionLog(state)
  ).scan({ model, columns: features }, (c) => {
    for (let i = 0; i < c.length; i++) {
      const t = c.time[i]!;
      if (!(t >= fromMs && t < toMs) || c.versions[c.versionIndex[i]!]?.version !== version) continue;
      cols.time.push(t);
      const l = c.label[i]!;
      cols.label.push(l < 0 ? NaN : l);
      features.forEach((f, j) => cols.values[j]!.push(c.features[f]?.[i] ?? NaN));
    }
  });
  if (cols.time.length === 0) {
    throw new GreenLensError('not_found', `No logged reading of ${model} has a data time in the chosen window.`, {
      field: 'data',
      hint: 'Score readings of that period first, or evaluate on a file.',
    });
  }
  const columns: Column[] = [
    { name: 'timestamp', kind: 'time', values: Float64Array.from(cols.time) },
    ...features.map((f, j): Column => ({ name: f, kind: 'number', values: Float64Array.from(cols.values[j]!) })),
    { name: 'is_anomaly', kind: 'number', values: Float64Array.from(cols.label) },
  ];
  const roles = {
    timestamp: 'timestamp',
    is_anomaly: 'label',
    ...Object.fromEntries(features.map((f) => [f, 'feature'])),
  } as Dataset['roles'];
  return state.datasets.add(
    {
      name: `logged readings ${new Date(fromMs).toISOString()} – ${new Date(toMs).toISOString()}`,
      source: 'imported',
      table: { rowCount: cols.time.length, columns },
      roles,
      sourceFile: null,
      options: {},
    },
    null,
  );
}

export async function evaluationDataset(
  data: EvaluationData,
  labelledOnly: boolean,
  ctx: JobContext,
  state: BackendState,
  log: { model: string; version: string; features: string[] },
): Promise<{ ds: Dataset; info: EvaluationResult['data'] }> {
  let ds: Dataset;
  let kind: EvaluationResult['data']['kind'];
  if ('datasetId' in data) {
    ds = await state.datasets.get(data.datasetId, registryDirOf(state));
    kind = 'dataset';
  } else if ('path' in data) {
    ds = await importFileDataset(data.path, data.csv, ctx, state);
    kind = 'file';
  } else {
    ds = await loggedDataset(log, data.fromMs, data.toMs, state);
    kind = 'log';
  }
  const label = labelColumn(ds, undefined);
  if (labelledOnly) {
    if (!label)
      throw new GreenLensError('invalid_input', `${ds.info.name} has no label column, so it has no labelled part.`, {
        field: 'labelledOnly',
      });
    const keep = new Uint8Array(label.values.length);
    for (let i = 0; i < keep.length; i++) keep[i] = Number.isFinite(label.values[i]!) ? 1 : 0;
    ds = await state.datasets.add(
      {
        name: `${ds.info.name} (labelled rows)`,
        source: ds.info.source,
        table: filterRows(ds.table, keep),
        roles: ds.roles,
        sourceFile: ds.info.sourceFile ?? null,
        options: {},
      },
      null,
    );
  }
  const labels = labelColumn(ds, undefined);
  let labelled = 0;
  if (labels) for (let i = 0; i < labels.values.length; i++) if (Number.isFinite(labels.values[i]!)) labelled++;
  const span = dataWindowOf(timeColumn(ds.table, ds.roles));
  return {
    ds,
    info: { kind, name: ds.info.name, rows: ds.table.rowCount, labelled, fromMs: span?.fromMs ?? null, toMs: span?.toMs ?? null },
  };
}
