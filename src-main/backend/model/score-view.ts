import type { FlaggedReading, ScoreMarker, ScoreResult } from '../../contract/ops/model';
import { getColumn, numericValues } from '../../core/data/table';
import { CHART_GROUPS, chartOf, type Dataset } from '../datasets';
import { finiteOrNull, idAt, idColumn, timeColumn } from './columns';

/** What the Score panel draws: already downsampled, so the renderer only plots. */

const MAX_MARKERS = 2000;
const MAX_TOP = 200;

/** Flagged rows, highest score first (ties by row order). */
export function flaggedByScore(scores: Float64Array, flags: Uint8Array): number[] {
  const rows: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) rows.push(i);
  return rows.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

export function chartColumn(ds: Dataset, features: readonly string[]): string {
  const total = getColumn(ds.table, 'total_kw');
  return total && total.kind === 'number' ? 'total_kw' : features[0]!;
}

export function scoreChart(ds: Dataset, features: readonly string[], ranked: readonly number[]): ScoreResult['chart'] {
  const column = chartColumn(ds, features);
  // chartOf draws at most CHART_GROUPS ids; markers of other ids would float without a line.
  const { series, groups } = chartOf(ds.table, ds.roles, column, 2000);
  const y = numericValues(getColumn(ds.table, column)!);
  const times = timeColumn(ds.table, ds.roles);
  const ids = idColumn(ds.table, ds.roles);
  const markers: ScoreMarker[] = [];
  for (const row of ranked) {
    if (markers.length >= MAX_MARKERS) break;
    if (!Number.isFinite(y[row]!)) continue;
    if (ids && ids.codes[row]! >= CHART_GROUPS) continue;
    markers.push({ x: times ? times[row]! : row, y: y[row]!, row });
  }
  // Drawn left to right, so a chart tooltip walks them in time order.
  markers.sort((a, b) => a.x - b.x);
  return { column, series, markers, time: times !== null, ...(groups ? { groups } : {}) };
}

export function topReadings(
  ds: Dataset,
  features: readonly string[],
  columns: readonly Float64Array[],
  scores: Float64Array,
  labels: Float64Array | null,
  ranked: readonly number[],
): FlaggedReading[] {
  const times = timeColumn(ds.table, ds.roles);
  const ids = idColumn(ds.table, ds.roles);
  return ranked.slice(0, MAX_TOP).map((row) => ({
    row,
    time: times ? finiteOrNull(times[row]) : null,
    id: idAt(ids, row),
    score: scores[row]!,
    label: labels ? finiteOrNull(labels[row]) : null,
    values: Object.fromEntries(features.map((f, j) => [f, finiteOrNull(columns[j]![row])])),
  }));
}
