import { basename, extname, resolve } from 'node:path';
import type { ColumnRole } from '../../contract/ops/data';
import { previewCsv } from '../../core/data/csv-preview';
import { isParquetFile, previewParquet } from '../../core/data/parquet-import';
import { DEFAULT_START, simulate } from '../../core/data/simulator';
import { writeCsvAtomic } from '../csv-file';
import { chartOf } from '../datasets';
import { importTableFile } from '../table-file';
import type { Handlers } from './types';

export const SIMULATED_ROLES: Record<string, ColumnRole> = {
  timestamp: 'timestamp',
  building_id: 'id',
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

type DataOp = 'data.simulate' | 'data.list' | 'data.get' | 'data.series' | 'data.exportCsv' | 'data.preview' | 'data.import';

export const dataHandlers: Handlers<DataOp> = {
  'data.simulate': (args, ctx, state) => {
    const start = args.start ? Date.parse(`${args.start}T00:00:00Z`) : DEFAULT_START;
    const table = simulate(
      { buildings: args.buildings, days: args.days, seed: args.seed, anomalyRate: args.anomalyRate, drift: args.drift, start },
      { progress: (done, total) => ctx.progress('simulating', done, total) },
    );
    const name = args.name ?? `sim-${args.buildings}b-${args.days}d-seed${args.seed}${args.drift === 'none' ? '' : `-${args.drift}`}`;
    const ds = state.datasets.add(name, 'simulated', table, SIMULATED_ROLES);
    ctx.emit({ type: 'changed', topic: 'datasets' });
    return ds.info;
  },
  'data.preview': async (args) => {
    const path = resolve(args.path);
    if (await isParquetFile(path)) return previewParquet(path, { rows: args.rows, roles: args.roles });
    return previewCsv(path, { rows: args.rows, delimiter: args.delimiter, roles: args.roles });
  },
  'data.import': async (args, ctx, state) => {
    const path = resolve(args.path);
    const { table, roles, report } = await importTableFile(
      path,
      { roles: args.roles, delimiter: args.delimiter, missing: args.missing, ragged: args.ragged },
      (read, total) => ctx.progress('reading', read, total),
    );
    const ds = state.datasets.add(args.name ?? nameOf(path), 'imported', table, roles);
    // The store builds the info; the import report rides along so the UI can show what was dropped or filled.
    ds.info.import = report;
    ctx.emit({ type: 'changed', topic: 'datasets' });
    return ds.info;
  },
  'data.list': (_args, _ctx, state) => ({ datasets: state.datasets.list() }),
  'data.get': (args, _ctx, state) => state.datasets.get(args.datasetId).info,
  'data.series': (args, _ctx, state) => {
    const ds = state.datasets.get(args.datasetId);
    return chartOf(ds.table, ds.roles, args.column, args.maxPoints);
  },
  'data.exportCsv': async (args, ctx, state) => {
    const ds = state.datasets.get(args.datasetId);
    const bytes = await writeCsvAtomic(args.path, ds.table, ctx, 'path');
    return { path: args.path, rows: ds.table.rowCount, bytes };
  },
};
