import { createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, extname, resolve } from 'node:path';
import { GreenLensError } from '../../contract';
import type { ColumnRole } from '../../contract/ops/data';
import { importCsv } from '../../core/data/csv-import';
import { previewCsv } from '../../core/data/csv-preview';
import { csvChunks } from '../../core/data/csv-write';
import { DEFAULT_START, simulate } from '../../core/data/simulator';
import { chartOf } from '../datasets';
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
  'data.preview': (args) => previewCsv(resolve(args.path), { rows: args.rows, delimiter: args.delimiter, roles: args.roles }),
  'data.import': async (args, ctx, state) => {
    const path = resolve(args.path);
    const { table, roles, report } = await importCsv(
      path,
      { roles: args.roles, delimiter: args.delimiter, missing: args.missing, ragged: args.ragged },
      { progress: (read, total) => ctx.progress('reading', read, total) },
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
    const tmp = `${args.path}.${process.pid}.tmp`;
    const out = createWriteStream(tmp);
    try {
      let rows = 0;
      const step = 20_000;
      for (const chunk of csvChunks(ds.table, step)) {
        if (!out.write(chunk)) await once(out, 'drain');
        ctx.progress('writing', Math.min(rows, ds.table.rowCount), ds.table.rowCount);
        rows += step;
      }
      out.end();
      await once(out, 'finish');
      await rename(tmp, args.path);
    } catch (error) {
      out.destroy();
      await unlink(tmp).catch(() => undefined);
      if (error instanceof GreenLensError) throw error;
      throw new GreenLensError('io', `Could not write ${args.path}: ${(error as Error).message}`, { file: args.path });
    }
    const { size } = await stat(args.path);
    return { path: args.path, rows: ds.table.rowCount, bytes: size };
  },
};
