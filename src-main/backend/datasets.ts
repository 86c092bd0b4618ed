import { randomBytes } from 'node:crypto';
import { GreenLensError } from '../contract';
import type { ChartGroups, ColumnRole, DatasetInfo, ImportReportInfo, Series } from '../contract/ops/data';
import { deleteDataset, listDatasets, readDatasetMeta, readDatasetTable, renameDataset, writeDataset } from '../core/data/dataset-file';
import { downsampleMinMax } from '../core/data/downsample';
import { roleOf } from '../core/data/schema-infer';
import { summarizeTable } from '../core/data/summary';
import { defineLazy } from './lazy-field';
import { cellText, getColumn, numericValues, type Table } from '../core/data/table';

export interface Dataset {
  info: DatasetInfo;
  table: Table;
  roles: Record<string, ColumnRole>;
}

const PREVIEW_ROWS = 50;
/** Kept datasets whose columns stay loaded; older ones are dropped from memory (they reload from disk). */
const LOADED_KEPT = 3;

export interface NewDataset {
  name: string;
  source: DatasetInfo['source'];
  table: Table;
  roles: Record<string, ColumnRole>;
  /** The user's name for the imported file; null when generated. */
  sourceFile: string | null;
  /** Import or generation options, stored with the dataset. */
  options: Record<string, unknown>;
  import?: ImportReportInfo;
}

/**
 * Datasets by id. A kept dataset lives in its registry under
 * `datasets/<id>/` (see core/data/dataset-file.ts) and is listed from there,
 * so it survives a restart and follows a registry switch; its columns are
 * loaded on first use and only the last few stay in memory. A dataset made
 * without a registry (the CLI's imports) lives in memory only.
 */
export class DatasetStore {
  /** Session-only datasets. */
  private readonly memory = new Map<string, Dataset>();
  /** Loaded kept datasets, keyed by registry folder + id, most recently used last. */
  private readonly loaded = new Map<string, Dataset>();

  /** `lazyViews`: build summary, preview and chart only when read (the CLI never reads them). */
  constructor(private readonly opts: { lazyViews?: boolean } = {}) {}

  /**
   * Builds the dataset; with `registryDir` it is written there (atomically) before it is returned.
   * `progress` counts the steps of building the dataset's summary, preview and chart.
   */
  async add(
    init: NewDataset,
    registryDir: string | null,
    progress?: (done: number, total: number) => void,
    saving?: (done: number, total: number) => void,
  ): Promise<Dataset> {
    const id = `ds-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const info = describe(id, init);
    if (!this.opts.lazyViews || registryDir !== null) {
      // The app shows all three views (and a kept dataset stores them): build them now, inside the job, so progress moves.
      progress?.(0, 3);
      void info.summary;
      progress?.(1, 3);
      void info.preview;
      progress?.(2, 3);
      void info.chart;
      progress?.(3, 3);
    }
    const ds: Dataset = { info, table: init.table, roles: init.roles };
    if (registryDir === null) {
      this.memory.set(id, ds);
      return ds;
    }
    info.stored = true;
    await writeDataset(
      registryDir,
      { id, name: init.name, sourceFile: init.sourceFile, options: init.options, roles: init.roles, createdAt: info.createdAt, info },
      init.table,
      saving,
    );
    this.remember(registryDir, ds);
    return ds;
  }

  /** `where` gives the open registry's folder (opening it on first use), or null. */
  async get(id: string, where: RegistryDir): Promise<Dataset> {
    const inMemory = this.memory.get(id);
    if (inMemory) return inMemory;
    const registryDir = ID.test(id) ? await where() : null;
    if (registryDir !== null) {
      const key = cacheKey(registryDir, id);
      const hit = this.loaded.get(key);
      if (hit) {
        this.loaded.delete(key);
        this.loaded.set(key, hit);
        return hit;
      }
      const meta = await readDatasetMeta(registryDir, id).catch((error: unknown) => {
        if (error instanceof GreenLensError && error.code === 'not_found') return null;
        throw error;
      });
      if (meta) {
        const ds: Dataset = { info: { ...meta.info, stored: true }, table: await readDatasetTable(registryDir, meta), roles: meta.roles };
        this.remember(registryDir, ds);
        return ds;
      }
    }
    throw new GreenLensError('not_found', `No dataset "${id}" is loaded.`, {
      field: 'datasetId',
      hint: 'Generate or import data on the Data tab first.',
    });
  }

  /** Kept datasets of the registry (oldest first), then this session's in-memory ones. */
  async list(where: RegistryDir): Promise<DatasetInfo[]> {
    const registryDir = await where();
    const kept = registryDir === null ? [] : (await listDatasets(registryDir)).datasets.map((m) => ({ ...m.info, stored: true }));
    return [...kept, ...[...this.memory.values()].map((d) => d.info)];
  }

  async rename(id: string, name: string, where: RegistryDir): Promise<DatasetInfo> {
    const inMemory = this.memory.get(id);
    if (inMemory) {
      inMemory.info = { ...inMemory.info, name };
      return inMemory.info;
    }
    const registryDir = await this.keptIn(id, where);
    const meta = await renameDataset(registryDir, id, name);
    const hit = this.loaded.get(cacheKey(registryDir, id));
    if (hit) hit.info = { ...meta.info, stored: true };
    return { ...meta.info, stored: true };
  }

  async remove(id: string, where: RegistryDir): Promise<void> {
    if (this.memory.delete(id)) return;
    const registryDir = await this.keptIn(id, where);
    this.loaded.delete(cacheKey(registryDir, id));
    await deleteDataset(registryDir, id);
  }

  /** The registry holding a kept dataset; not_found when there is none. */
  private async keptIn(id: string, where: RegistryDir): Promise<string> {
    const registryDir = ID.test(id) ? await where() : null;
    if (registryDir === null) await this.get(id, async () => null); // throws not_found
    return registryDir!;
  }

  private remember(registryDir: string, ds: Dataset): void {
    this.loaded.set(cacheKey(registryDir, ds.info.id), ds);
    while (this.loaded.size > LOADED_KEPT) this.loaded.delete(this.loaded.keys().next().value!);
  }
}

const ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The open registry's folder, or null without one (resolved only when needed). */
export type RegistryDir = () => Promise<string | null>;

function cacheKey(registryDir: string, id: string): string {
  return `${registryDir}\u0000${id}`;
}

/** What the Data tab shows: summary, preview rows and a chart, each computed on first read (see withLazyViews). */
function describe(id: string, init: NewDataset): DatasetInfo {
  const { table, roles } = init;
  const label = getColumn(table, Object.keys(roles).find((k) => roleOf(roles, k) === 'label') ?? '');
  let labelled: number | null = null;
  if (label && label.kind === 'number') {
    labelled = 0;
    // An index loop: for…of over a large typed array runs an iterator call per value until V8 optimises it.
    const values = label.values;
    for (let i = 0; i < values.length; i++) if (values[i]! > 0) labelled++;
  }
  const base = {
    id,
    name: init.name,
    source: init.source,
    rows: table.rowCount,
    columns: table.columns.map((c) => ({ name: c.name, kind: c.kind, role: roleOf(roles, c.name) ?? 'ignored' })),
  };
  // Assigned after the views so the fields keep the order the app has always sent.
  return Object.assign(withLazyViews(base, table, roles), {
    labelledAnomalies: labelled,
    createdAt: new Date().toISOString(),
    sourceFile: init.sourceFile,
    stored: false,
    ...(init.import ? { import: init.import } : {}),
  });
}

type DatasetViews = Pick<DatasetInfo, 'summary' | 'preview' | 'chart'>;

/**
 * The summary, preview and chart of a dataset, each computed on first read.
 * The app reads them all (structured clone and JSON read every property),
 * but `greenlens score` and `train` only need the id: a column summary sorts
 * every column, which cost a scoring run a tenth of its time.
 */
function withLazyViews<T extends object>(views: T, table: Table, roles: Record<string, ColumnRole>): T & DatasetViews {
  const lazy = <K extends keyof DatasetViews>(key: K, compute: () => DatasetViews[K]): void =>
    defineLazy(views as T & DatasetViews, key, compute);
  lazy('summary', () => summarizeTable(table, roles));
  lazy('preview', () => ({
    header: table.columns.map((c) => c.name),
    rows: Array.from({ length: Math.min(PREVIEW_ROWS, table.rowCount) }, (_, r) => table.columns.map((c) => cellText(c, r))),
  }));
  lazy('chart', () => chartOf(table, roles, defaultChartColumn(table, roles), 2000));
  return views as T & DatasetViews;
}

function defaultChartColumn(table: Table, roles: Record<string, ColumnRole>): string {
  if (getColumn(table, 'total_kw')) return 'total_kw';
  return table.columns.find((c) => roleOf(roles, c.name) === 'feature')?.name ?? table.columns[0]?.name ?? '';
}

/** Lines a chart can tell apart: more ids than this draw the first ones and say so. */
export const CHART_GROUPS = 12;

/** One downsampled series per id (building) value, x = time when a timestamp exists. */
export function chartOf(
  table: Table,
  roles: Record<string, ColumnRole>,
  columnName: string,
  maxPoints: number,
): ChartGroups & { column: string; series: Series[] } {
  const column = getColumn(table, columnName);
  if (!column) throw new GreenLensError('not_found', `No column "${columnName}" in this dataset.`, { field: 'column' });
  const y = numericValues(column);
  const timeCol = table.columns.find((c) => roleOf(roles, c.name) === 'timestamp' && c.kind === 'time');
  const idCol = table.columns.find((c) => roleOf(roles, c.name) === 'id' && c.kind === 'category');
  const x = timeCol && timeCol.kind === 'time' ? timeCol.values : Float64Array.from({ length: table.rowCount }, (_, i) => i);
  if (!idCol || idCol.kind !== 'category') {
    return { column: columnName, series: [{ name: columnName, ...downsampleMinMax(x, y, maxPoints) }] };
  }
  const groups = idCol.dictionary.slice(0, CHART_GROUPS);
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
  return { column: columnName, series, groups: { shown: groups.length, total: idCol.dictionary.length } };
}
