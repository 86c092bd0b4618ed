import { GreenLensError } from '../contract';
import type { ColumnRole, DatasetInfo, Series } from '../contract/ops/data';
import { downsampleMinMax } from '../core/data/downsample';
import { roleOf } from '../core/data/schema-infer';
import { summarizeTable } from '../core/data/summary';
import { cellText, getColumn, numericValues, type Table } from '../core/data/table';

export interface Dataset {
  info: DatasetInfo;
  table: Table;
  roles: Record<string, ColumnRole>;
}

const PREVIEW_ROWS = 50;

/** Datasets loaded in the worker's memory (simulated or imported), by id. */
export class DatasetStore {
  private readonly byId = new Map<string, Dataset>();
  private counter = 0;

  add(name: string, source: DatasetInfo['source'], table: Table, roles: Record<string, ColumnRole>): Dataset {
    const id = `ds-${++this.counter}-${Date.now().toString(36)}`;
    const label = getColumn(table, roles ? (Object.keys(roles).find((k) => roleOf(roles, k) === 'label') ?? '') : '');
    let labelled: number | null = null;
    if (label && label.kind === 'number') {
      labelled = 0;
      for (const v of label.values) if (v > 0) labelled++;
    }
    const info: DatasetInfo = {
      id,
      name,
      source,
      rows: table.rowCount,
      columns: table.columns.map((c) => ({ name: c.name, kind: c.kind, role: roleOf(roles, c.name) ?? 'ignored' })),
      summary: summarizeTable(table, roles),
      preview: {
        header: table.columns.map((c) => c.name),
        rows: Array.from({ length: Math.min(PREVIEW_ROWS, table.rowCount) }, (_, r) => table.columns.map((c) => cellText(c, r))),
      },
      chart: chartOf(table, roles, defaultChartColumn(table, roles), 2000),
      labelledAnomalies: labelled,
      createdAt: new Date().toISOString(),
    };
    const ds = { info, table, roles };
    this.byId.set(id, ds);
    return ds;
  }

  get(id: string): Dataset {
    const ds = this.byId.get(id);
    if (!ds) {
      throw new GreenLensError('not_found', `No dataset "${id}" is loaded.`, {
        field: 'datasetId',
        hint: 'Generate or import data on the Data tab first.',
      });
    }
    return ds;
  }

  list(): DatasetInfo[] {
    return [...this.byId.values()].map((d) => d.info);
  }
}

function defaultChartColumn(table: Table, roles: Record<string, ColumnRole>): string {
  if (getColumn(table, 'total_kw')) return 'total_kw';
  return table.columns.find((c) => roleOf(roles, c.name) === 'feature')?.name ?? table.columns[0]?.name ?? '';
}

/** One downsampled series per id (building) value, x = time when a timestamp exists. */
export function chartOf(
  table: Table,
  roles: Record<string, ColumnRole>,
  columnName: string,
  maxPoints: number,
): { column: string; series: Series[] } {
  const column = getColumn(table, columnName);
  if (!column) throw new GreenLensError('not_found', `No column "${columnName}" in this dataset.`, { field: 'column' });
  const y = numericValues(column);
  const timeCol = table.columns.find((c) => roleOf(roles, c.name) === 'timestamp' && c.kind === 'time');
  const idCol = table.columns.find((c) => roleOf(roles, c.name) === 'id' && c.kind === 'category');
  const x = timeCol && timeCol.kind === 'time' ? timeCol.values : Float64Array.from({ length: table.rowCount }, (_, i) => i);
  if (!idCol || idCol.kind !== 'category') {
    return { column: columnName, series: [{ name: columnName, ...downsampleMinMax(x, y, maxPoints) }] };
  }
  const groups = idCol.dictionary.slice(0, 12);
  const perGroup = Math.max(50, Math.floor(maxPoints / Math.max(1, groups.length)));
  const series = groups.map((name, g) => {
    let count = 0;
    for (let i = 0; i < idCol.codes.length; i++) if (idCol.codes[i] === g) count++;
    const gx = new Float64Array(count);
    const gy = new Float64Array(count);
    for (let i = 0, j = 0; i < idCol.codes.length; i++) {
      if (idCol.codes[i] === g) {
        gx[j] = x[i]!;
        gy[j++] = y[i]!;
      }
    }
    return { name, ...downsampleMinMax(gx, gy, perGroup) };
  });
  return { column: columnName, series };
}
