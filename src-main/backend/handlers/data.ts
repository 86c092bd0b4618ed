import { basename, extname, resolve } from 'node:path';
import { GreenLensError, type OpArgs } from '../../contract';
import type { ColumnRole } from '../../contract/ops/data';
import { previewCsv } from '../../core/data/csv-preview';
import { isParquetFile, previewParquet } from '../../core/data/parquet-import';
import { DEFAULT_START, simulate } from '../../core/data/simulator';
import { BUILDING_KINDS } from '../../contract/shared/data';
import { DEFAULT_YEAR_START, simulateYears } from '../../core/data/year-simulator';
import type { Table } from '../../core/data/table';
import { writeCsvAtomic } from '../csv-file';
import { chartOf } from '../datasets';
import { registryDirOf } from '../registry-access';
import { importTableFile } from '../table-file';
import { dropScoreAhead } from '../model/score-ahead';
import type { Handlers } from './types';

export const SIMULATED_ROLES: Record<string, ColumnRole> = {
  timestamp: 'timestamp',
  building_id: 'id',
  building_kind: 'ignored',
  outdoor_temp_c: 'feature',
  humidity_pct: 'feature',
  occupancy: 'feature',
  hvac_kw: 'feature',
  lighting_kw: 'feature',
  plug_load_kw: 'feature',
  total_kw: 'feature',
  is_anomaly: 'label',
  anomaly_type: 'ignored',
};

/** A dataset name from a file name: `meters-2024.csv` → `meters-2024`. */
function nameOf(path: string): string {
  const base = basename(path);
  return base.slice(0, base.length - extname(base).length) || base;
}

type DataOp =
  | 'data.simulate'
  | 'data.list'
  | 'data.get'
  | 'data.series'
  | 'data.exportCsv'
  | 'data.preview'
  | 'data.import'
  | 'data.rename'
  | 'data.delete';

export const dataHandlers: Handlers<DataOp> = {
  'data.simulate': async (args, ctx, state) => {
    const progress = { progress: (done: number, total: number) => ctx.progress('simulating', done, total) };
    const { keep, ...options } = args;
    const dir = keep ? await registryDirOf(state)() : null;
    const { table, name } = args.profile === 'year' ? simulatedYears(args, progress) : simulatedDays(args, progress);
    const ds = await state.datasets.add(
      { name, source: 'simulated', table, roles: SIMULATED_ROLES, sourceFile: null, options },
      dir,
      (done, total) => ctx.progress('preparing dataset', done, total),
      (done, total) => ctx.progress('saving', done, total),
    );
    ctx.emit({ type: 'changed', topic: 'datasets' });
    return ds.info;
  },
  'data.preview': async (args) => {
    const path = resolve(args.path);
    if (await isParquetFile(path)) return previewParquet(path, { rows: args.rows, roles: args.roles });
    return previewCsv(path, {
      rows: args.rows,
      delimiter: args.delimiter,
      roles: args.roles,
      encoding: args.encoding,
      decimal: args.decimal,
      dateFormat: args.dateFormat,
      displayName: args.displayName,
    });
  },
  'data.import': async (args, ctx, state) => {
    const path = resolve(args.path);
    // Scoring started ahead of this import (the CLI's score) gets the rows as they are read; a failed import drops it.
    const ahead = state.scoreAhead;
    const { table, roles, report } = await importTableFile(
      path,
      {
        roles: args.roles,
        delimiter: args.delimiter,
        missing: args.missing,
        ragged: args.ragged,
        encoding: args.encoding,
        decimal: args.decimal,
        dateFormat: args.dateFormat,
        displayName: args.displayName,
      },
      (read, total) => ctx.progress('reading', read, total),
      state.scoreWorkerScript ? { workerScript: state.scoreWorkerScript, logger: state.logger } : null,
      ahead?.tap ?? null,
    ).catch((error: unknown) => {
      dropScoreAhead(state);
      throw error;
    });
    const { keep, path: _path, name: _name, ...options } = args;
    const dir = keep ? await registryDirOf(state)() : null;
    const sourceFile = args.displayName ?? path;
    // The import report rides along so the UI can show how the file was read and what was dropped or filled.
    const ds = await state.datasets.add(
      { name: args.name ?? nameOf(sourceFile), source: 'imported', table, roles, sourceFile, options, import: report },
      dir,
      (done, total) => ctx.progress('preparing dataset', done, total),
      (done, total) => ctx.progress('saving', done, total),
    );
    if (ahead) ahead.datasetId = ds.info.id;
    // Skipped rows, dropped columns, filled values: each is in the report, and in the log for later.
    for (const warning of report.warnings) state.logger.warn(`Import of ${sourceFile}: ${warning}`);
    ctx.emit({ type: 'changed', topic: 'datasets' });
    return ds.info;
  },
  'data.list': async (_args, _ctx, state) => ({ datasets: await state.datasets.list(registryDirOf(state)) }),
  'data.get': async (args, _ctx, state) => (await state.datasets.get(args.datasetId, registryDirOf(state))).info,
  'data.rename': async (args, ctx, state) => {
    const info = await state.datasets.rename(args.datasetId, args.name, registryDirOf(state));
    ctx.emit({ type: 'changed', topic: 'datasets' });
    return info;
  },
  'data.delete': async (args, ctx, state) => {
    await state.datasets.remove(args.datasetId, registryDirOf(state));
    ctx.emit({ type: 'changed', topic: 'datasets' });
    return { datasetId: args.datasetId, deleted: true };
  },
  'data.series': async (args, _ctx, state) => {
    const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
    return chartOf(ds.table, ds.roles, args.column, args.maxPoints);
  },
  'data.exportCsv': async (args, ctx, state) => {
    const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
    const bytes = await writeCsvAtomic(args.path, ds.table, ctx, 'path');
    return { path: args.path, rows: ds.table.rowCount, bytes };
  },
};

type SimulateArgs = OpArgs<'data.simulate'>;
type SimulateProgress = { progress: (done: number, total: number) => void };

/** The basic profile: office-hours buildings over `days`, with an optional drift scenario. */
function simulatedDays(args: SimulateArgs, progress: SimulateProgress): { table: Table; name: string } {
  const start = args.start ? Date.parse(`${args.start}T00:00:00Z`) : DEFAULT_START;
  const table = simulate(
    { buildings: args.buildings, days: args.days, seed: args.seed, anomalyRate: args.anomalyRate, drift: args.drift, start },
    progress,
  );
  const name = args.name ?? `sim-${args.buildings}b-${args.days}d-seed${args.seed}${args.drift === 'none' ? '' : `-${args.drift}`}`;
  return { table, name };
}

/** The year profile: whole years of buildings of several kinds (no drift scenarios). */
function simulatedYears(args: SimulateArgs, progress: SimulateProgress): { table: Table; name: string } {
  if (args.drift !== 'none') {
    throw new GreenLensError('invalid_input', `Drift scenario "${args.drift}" is only available with the basic profile.`, {
      field: 'drift',
    });
  }
  const years = args.years ?? 1;
  const start = args.start ? Date.parse(`${args.start}T00:00:00Z`) : DEFAULT_YEAR_START;
  const kinds = args.kinds ?? [...BUILDING_KINDS];
  const table = simulateYears({ buildings: args.buildings, years, seed: args.seed, anomalyRate: args.anomalyRate, kinds, start }, progress);
  return { table, name: args.name ?? `sim-year-${args.buildings}b-${years}y-seed${args.seed}` };
}
