import type { ChunkBy, ChunkDriftView as ChunkDrift, DriftTrendView as DriftTrend } from '../../contract/shared/monitoring';
import { PSI_DEFAULT_BINS } from '../stats/psi';
import { assessFeatures } from './assess';
import { referenceFeatureNames, type Reference } from './reference';
import { prepareAll, seasonOf } from './report';
import { describeRule, validateThresholds, type DriftThresholds } from './rule';
import { DAY_MS, FIRST_MONDAY_MS, HOUR_MS, WEEK_MS } from '../../contract/shared/time';

/**
 * Drift as a trend: the current data cut into consecutive chunks (by calendar
 * hour/day/week of a timestamp column, or every N rows), each assessed against
 * the reference with the same rule and correction as the full report.
 */

export type { ChunkBy, ChunkDrift, DriftTrend };

export interface DriftTrendOptions {
  by: ChunkBy;
  /** Epoch milliseconds per row; required for hour/day/week. Rows with a non-finite time are left out. */
  timestamps?: ArrayLike<number>;
  features?: string[];
  /** Upper bound on the number of chunks; more are merged into wider chunks. Default 2,000. */
  maxPoints?: number;
  /**
   * Chunks with fewer rows are reported but not assessed. Default 100. Small
   * chunks are noisy: with no drift at all PSI averages about (B−1)·(1/n + 1/n_ref),
   * ≈ 0.09 for n = 100 and B = 10, so PSI ≥ 0.1 fires often below a few hundred rows.
   */
  minRows?: number;
  /** Calendar boundaries in local time at this offset from UTC; default 0 (UTC). */
  utcOffsetMinutes?: number;
  bins?: number;
}

interface Group {
  start: number | null;
  end: number | null;
  rowStart: number | null;
  rowEnd: number | null;
  rows: Uint32Array | null;
}

export function driftTrend(
  reference: Reference,
  current: Record<string, ArrayLike<number>>,
  thresholds: DriftThresholds,
  opts: DriftTrendOptions,
): DriftTrend {
  validateThresholds(thresholds);
  const maxPoints = opts.maxPoints ?? 2000;
  const minRows = opts.minRows ?? 100;
  const names = opts.features ?? referenceFeatureNames(reference).filter((n) => n in current);
  const bins = opts.bins ?? PSI_DEFAULT_BINS;
  const { prepared } = prepareAll(reference, names, bins);
  // A profile of a year's readings judges each time chunk against the same weeks of that year (season.ts), like the report.
  const times = typeof opts.by === 'object' ? undefined : opts.timestamps;
  const chunkReference = (g: Group): typeof prepared => {
    const season = times && seasonOf(reference, take(times, g));
    return season
      ? prepareAll(
          season.columns,
          prepared.map((p) => p.name),
          bins,
        ).prepared
      : prepared;
  };
  const rowCount = Math.max(0, ...names.map((n) => current[n]?.length ?? 0));
  const { groups, width } =
    typeof opts.by === 'object'
      ? rowGroups(rowCount, opts.by.rows, maxPoints)
      : timeGroups(opts.timestamps, rowCount, opts.by, maxPoints, (opts.utcOffsetMinutes ?? 0) * 60_000);

  const chunks = groups.map((g, index): ChunkDrift => {
    const rows = g.rows ? g.rows.length : g.rowEnd! - g.rowStart!;
    const base = { index, start: g.start, end: g.end, rowStart: g.rowStart, rowEnd: g.rowEnd, rows };
    if (rows < minRows || prepared.length === 0) return { ...base, assessed: false, driftedShare: 0, datasetDrift: false, features: [] };
    const slice: Record<string, Float64Array> = {};
    for (const f of prepared) {
      const column = current[f.name];
      if (column) slice[f.name] = take(column, g);
    }
    const { assessed } = assessFeatures(chunkReference(g), slice, thresholds, 0);
    const drifted = assessed.filter((a) => a.decision.drifted).length;
    const driftedShare = assessed.length > 0 ? drifted / assessed.length : 0;
    return {
      ...base,
      assessed: assessed.length > 0,
      driftedShare,
      datasetDrift: assessed.length > 0 && driftedShare >= thresholds.datasetDriftShare,
      features: assessed.map((a) => ({
        name: a.measures.name,
        psi: a.measures.psi,
        drifted: a.decision.drifted,
        firedTests: a.decision.firedTests,
      })),
    };
  });
  return { rule: describeRule(thresholds), by: opts.by, chunkWidth: width, features: prepared.map((p) => p.name), chunks };
}

function take(column: ArrayLike<number>, g: Group): Float64Array {
  if (g.rows) {
    const out = new Float64Array(g.rows.length);
    for (let i = 0; i < g.rows.length; i++) out[i] = column[g.rows[i]!] ?? NaN;
    return out;
  }
  const out = new Float64Array(g.rowEnd! - g.rowStart!);
  for (let i = 0; i < out.length; i++) out[i] = column[g.rowStart! + i] ?? NaN;
  return out;
}

function rowGroups(rowCount: number, rowsPerChunk: number, maxPoints: number): { groups: Group[]; width: number } {
  if (!Number.isInteger(rowsPerChunk) || rowsPerChunk < 1)
    throw new RangeError(`rows per chunk must be a positive integer, got ${rowsPerChunk}`);
  const width = Math.max(rowsPerChunk, Math.ceil(rowCount / maxPoints));
  const groups: Group[] = [];
  for (let s = 0; s < rowCount; s += width) {
    groups.push({ start: null, end: null, rowStart: s, rowEnd: Math.min(rowCount, s + width), rows: null });
  }
  return { groups, width };
}

function timeGroups(
  timestamps: ArrayLike<number> | undefined,
  rowCount: number,
  by: 'hour' | 'day' | 'week',
  maxPoints: number,
  offsetMs: number,
): { groups: Group[]; width: number } {
  if (!timestamps) throw new RangeError(`chunking by ${by} needs timestamps`);
  if (timestamps.length !== rowCount) throw new RangeError(`timestamps (${timestamps.length}) and data (${rowCount}) differ in length`);
  const period = by === 'hour' ? HOUR_MS : by === 'day' ? DAY_MS : WEEK_MS;
  const anchor = by === 'week' ? FIRST_MONDAY_MS : 0;
  // Period index per row; rows arrive in any order, so group by index.
  const byKey = new Map<number, number[]>();
  for (let i = 0; i < rowCount; i++) {
    const t = timestamps[i]!;
    if (!Number.isFinite(t)) continue;
    const key = Math.floor((t + offsetMs - anchor) / period);
    let rows = byKey.get(key);
    if (!rows) byKey.set(key, (rows = []));
    rows.push(i);
  }
  const keys = [...byKey.keys()].sort((a, b) => a - b);
  if (keys.length === 0) return { groups: [], width: 1 };
  // Too many periods for the chart: widen chunks to a whole number of periods.
  const span = keys[keys.length - 1]! - keys[0]! + 1;
  const width = Math.max(1, Math.ceil(span / maxPoints));
  const groups: Group[] = [];
  let current: { key: number; rows: number[] } | null = null;
  const flush = (): void => {
    if (!current) return;
    const start = current.key * period + anchor - offsetMs;
    groups.push({ start, end: start + width * period, rowStart: null, rowEnd: null, rows: Uint32Array.from(current.rows) });
  };
  for (const key of keys) {
    const chunkKey = keys[0]! + Math.floor((key - keys[0]!) / width) * width;
    if (!current || current.key !== chunkKey) {
      flush();
      current = { key: chunkKey, rows: [] };
    }
    for (const r of byKey.get(key)!) current.rows.push(r);
  }
  flush();
  return { groups, width };
}
