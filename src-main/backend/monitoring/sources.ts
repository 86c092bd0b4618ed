import { registryDirOf } from '../registry-access';
import { GreenLensError } from '../../contract';
import type { ColumnRole, CsvReadingInfo, CsvReadOptions } from '../../contract/ops/data';
import type { CurrentSourceInfo } from '../../contract/shared/monitoring';
import { timeSpan } from '../../core/data/calendar';
import { columnRecord, roleOf } from '../../core/data/schema-infer';
import type { Table } from '../../core/data/table';
import type { JobContext } from '../job';
import { predictionLog } from '../prediction-sink';
import { importTableFile } from '../table-file';
import type { BackendState } from '../state';
import { rowsOfBuilding, take } from '../buildings/rows';
import { readBuildingNames } from './buildings';
import { dataRangeReadings, lastReadings, rangeReadings, type LogWindow } from './log-window';

/** One side of a drift comparison as columns: features by name, and reading times when known. */
export interface Columns {
  features: Record<string, Float64Array>;
  timestamps: Float64Array | null;
  rows: number;
}

/** Feature columns (role 'feature', numeric) and the timestamp column of a table. */
export function tableColumns(table: Table, roles: Record<string, ColumnRole>): Columns {
  const features = columnRecord<Float64Array>();
  let timestamps: Float64Array | null = null;
  for (const c of table.columns) {
    if (roleOf(roles, c.name) === 'feature' && c.kind === 'number') features[c.name] = c.values;
    if (roleOf(roles, c.name) === 'timestamp' && c.kind === 'time' && !timestamps) timestamps = c.values;
  }
  return { features, timestamps, rows: table.rowCount };
}

/** A CSV as drift columns; every numeric column that is not a label, id or time is a feature (ARCHITECTURE §5). */
export async function csvColumns(
  path: string,
  ctx: JobContext,
  phase: string,
  options: CsvReadOptions = {},
): Promise<Columns & { reading: CsvReadingInfo }> {
  const { table, roles, report } = await importTableFile(path, options, (done, total) => ctx.progress(phase, done, total));
  const cols = tableColumns(table, roles);
  if (Object.keys(cols.features).length === 0) {
    throw new GreenLensError('invalid_input', `${path} has no numeric feature column to compare.`, {
      file: path,
      hint: 'A drift CSV needs a header and at least one numeric column that is not a label or id.',
    });
  }
  return { ...cols, reading: report.reading };
}

export type CurrentSpec =
  | { datasetId: string }
  | { path: string; csv?: CsvReadOptions }
  | { lastN: number; scope: 'version' | 'model' }
  | { fromMs: number; toMs: number; scope: 'version' | 'model'; time?: 'data' | 'scoring' };

/** Resolves the current side. Log windows need the model and version whose predictions count. */
export async function currentColumns(
  spec: CurrentSpec,
  ctx: JobContext,
  state: BackendState,
  log: { model: string; version: string | null; features: string[]; building?: string | undefined },
): Promise<{ columns: Columns; info: CurrentSourceInfo }> {
  if ('datasetId' in spec) {
    const ds = await state.datasets.get(spec.datasetId, registryDirOf(state));
    const all = tableColumns(ds.table, ds.roles);
    const columns = log.building === undefined ? all : buildingRows(all, rowsOfBuilding(ds, log.building));
    const name = log.building === undefined ? ds.info.name : `${ds.info.name}, building ${log.building}`;
    return { columns, info: { kind: 'dataset', datasetId: ds.info.id, name, rows: columns.rows } };
  }
  if ('path' in spec) {
    if (log.building !== undefined) {
      throw new GreenLensError('invalid_input', 'A building can be picked for a dataset or the prediction log, not for a CSV path.', {
        field: 'building',
      });
    }
    const { reading, ...columns } = await csvColumns(spec.path, ctx, 'reading current CSV', spec.csv);
    return { columns, info: { kind: 'csv', path: spec.path, rows: columns.rows, reading } };
  }
  if (!log.version && spec.scope === 'version') {
    throw new GreenLensError('invalid_input', 'A prediction-log window needs a model version to compare against.', { field: 'current' });
  }
  ctx.progress('reading prediction log', 0, 1);
  const predictions = await predictionLog(state);
  const slot = log.building === undefined ? undefined : await buildingSlot(await registryDirOf(state)(), log.building);
  const q = {
    model: log.model,
    ...(spec.scope === 'version' && log.version ? { version: log.version } : {}),
    ...(slot !== undefined ? { building: slot } : {}),
    columns: log.features,
  };
  const whose =
    (q.version ? `${log.model} ${q.version}` : `${log.model} (all versions)`) + (log.building ? ` for building ${log.building}` : '');
  let w: LogWindow;
  let window: string;
  if ('lastN' in spec) {
    w = await lastReadings(predictions, spec.lastN, q);
    window = `last ${spec.lastN.toLocaleString('en-US')} predictions of ${whose}`;
    if (w.widened) window += ', widened to a week of readings (they spanned less)';
  } else {
    const span = `${new Date(spec.fromMs).toISOString()} to ${new Date(spec.toMs).toISOString()} (UTC)`;
    if (spec.time === 'scoring') {
      w = await rangeReadings(predictions, spec.fromMs, spec.toMs, q);
      window = `predictions of ${whose} scored from ${span}`;
    } else {
      w = await dataRangeReadings(predictions, spec.fromMs, spec.toMs, q);
      window = `predictions of ${whose} with readings dated from ${span}`;
    }
  }
  ctx.progress('reading prediction log', 1, 1);
  const range = timeSpan(w.time);
  return {
    columns: { features: w.features, timestamps: w.time, rows: w.rows },
    info: {
      kind: 'log',
      window,
      rows: w.rows,
      sampledEvery: w.sampledEvery,
      versions: w.versions,
      fromMs: range?.[0] ?? null,
      toMs: range?.[1] ?? null,
    },
  };
}

/** The log's slot of a building; a building never logged is a clear error, not an empty window. */
async function buildingSlot(registryDir: string | null, building: string): Promise<number> {
  const names = registryDir ? await readBuildingNames(registryDir) : [];
  const at = names.indexOf(building);
  if (at < 0) {
    throw new GreenLensError('not_found', `No logged reading belongs to building "${building}".`, {
      field: 'building',
      hint: 'Score data with an id column that names this building first.',
    });
  }
  return at + 1;
}

function buildingRows(c: Columns, rows: Int32Array): Columns {
  const features = columnRecord<Float64Array>();
  for (const [name, col] of Object.entries(c.features)) features[name] = take(col, rows);
  return { features, timestamps: c.timestamps ? take(c.timestamps, rows) : null, rows: rows.length };
}
