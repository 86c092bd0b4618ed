/**
 * Per-group robust scaling: each feature is centred on its group's median and
 * divided by its group's robust spread, so the forest sees "how unusual is
 * this reading for *this* building" instead of "how big is this building".
 * Without it, a data set of buildings of different sizes makes the largest
 * building's ordinary peaks the easiest points to isolate, and contextual
 * anomalies (a small building's HVAC running at night) are never flagged.
 *
 *     scaled = (x − median_g) / scale_g
 *
 * Scale, per group and feature, first that is finite and > 0:
 *   1. IQR / 1.349 — equals the standard deviation for normal data, but
 *      ignores the tails, so the anomalies in the training data do not
 *      inflate the yardstick they are measured with;
 *   2. the (population) standard deviation — when more than half the values
 *      are equal (e.g. occupancy 0 all night), the IQR is 0;
 *   3. the global scale of that feature (groups only) — a constant feature
 *      in one building still gets a spread in the feature's own units;
 *   4. 1.
 * A group with fewer than MIN_GROUP_VALUES finite values of a feature uses
 * the global median and scale for it: a median of three readings is noise.
 * The stored stats are exactly the ones applied, fallbacks included.
 *
 * Global stats (all training rows pooled) serve rows whose group is missing
 * or was not seen in training. NaN stays NaN (scoring sends it right at every
 * split, as for unscaled data). Quantiles use numpy's linear interpolation.
 */
import { quantileSorted } from '../stats/quantile';

export const MIN_GROUP_VALUES = 10;
/** IQR of the standard normal distribution: IQR / 1.349 estimates σ. */
export const IQR_TO_SIGMA = 1.349;

/** Group membership per row: codes into a dictionary of names, -1 = missing. */
export interface GroupCodes {
  codes: Int32Array;
  dictionary: string[];
}

/** Median and scale per feature (in feature order), and how many finite values they came from. */
export interface ScalerStats {
  count: number[];
  median: number[];
  scale: number[];
}

export interface GroupStats extends ScalerStats {
  id: string;
}

/** Plain JSON as it is: stored inside the model artifact. */
export interface GroupScaler {
  features: string[];
  global: ScalerStats;
  groups: GroupStats[];
}

function stdDev(sorted: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  const mean = sum / sorted.length;
  let ss = 0;
  for (let i = 0; i < sorted.length; i++) ss += (sorted[i]! - mean) ** 2;
  return Math.sqrt(ss / sorted.length);
}

const usable = (s: number): boolean => Number.isFinite(s) && s > 0;

/** Median and robust scale of the finite values; `fallbackScale` replaces a zero spread. */
function robustStats(values: readonly number[] | Float64Array, fallbackScale: number): { count: number; median: number; scale: number } {
  const sorted = Float64Array.from(values)
    .filter((v) => Number.isFinite(v))
    .sort();
  if (sorted.length === 0) return { count: 0, median: 0, scale: fallbackScale };
  const median = quantileSorted(sorted, 0.5);
  const iqr = (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / IQR_TO_SIGMA;
  if (usable(iqr)) return { count: sorted.length, median, scale: iqr };
  const sd = stdDev(sorted);
  return { count: sorted.length, median, scale: usable(sd) ? sd : fallbackScale };
}

function checkColumns(columns: readonly Float64Array[], features: readonly string[], groups: GroupCodes | null): number {
  if (columns.length !== features.length) throw new Error(`expected ${features.length} feature columns, got ${columns.length}`);
  if (features.length === 0) throw new Error('at least one feature column is required');
  const rows = columns[0]!.length;
  columns.forEach((c, f) => {
    if (c.length !== rows) throw new Error(`feature column ${f} has ${c.length} rows, column 0 has ${rows}`);
  });
  if (groups && groups.codes.length !== rows) throw new Error(`group codes have ${groups.codes.length} rows, the columns have ${rows}`);
  return rows;
}

/**
 * Fits per-group (and global) medians and scales on training columns.
 * `groups` null fits only the global stats (every row is then scaled alike).
 * Groups with no rows are not stored, so they fall back to global stats.
 */
export function fitGroupScaler(columns: Float64Array[], features: string[], groups: GroupCodes | null): GroupScaler {
  const rows = checkColumns(columns, features, groups);
  const global: ScalerStats = { count: [], median: [], scale: [] };
  for (const col of columns) {
    const s = robustStats(col, 1);
    global.count.push(s.count);
    global.median.push(s.median);
    global.scale.push(s.scale);
  }
  const out: GroupScaler = { features: [...features], global, groups: [] };
  if (!groups) return out;

  // Row indices per group code, one pass.
  const members: number[][] = groups.dictionary.map(() => []);
  for (let i = 0; i < rows; i++) {
    const code = groups.codes[i]!;
    if (code >= 0 && code < members.length) members[code]!.push(i);
  }
  const seen = new Set<string>();
  members.forEach((rowsOf, code) => {
    const id = groups.dictionary[code]!;
    // A dictionary may hold a name twice only if the caller built it so; the first wins.
    if (rowsOf.length === 0 || seen.has(id)) return;
    seen.add(id);
    const g: GroupStats = { id, count: [], median: [], scale: [] };
    columns.forEach((col, f) => {
      const s = robustStats(
        rowsOf.map((i) => col[i]!),
        global.scale[f]!,
      );
      const tooFew = s.count < MIN_GROUP_VALUES;
      g.count.push(s.count);
      g.median.push(tooFew ? global.median[f]! : s.median);
      g.scale.push(tooFew ? global.scale[f]! : s.scale);
    });
    out.groups.push(g);
  });
  return out;
}

/** Group names in `groups` that the scaler has no stats for (they are scaled with the global stats). */
export function unseenGroups(scaler: GroupScaler, groups: GroupCodes | null): string[] {
  if (!groups) return [];
  const known = new Set(scaler.groups.map((g) => g.id));
  const present = new Set<number>();
  for (let i = 0; i < groups.codes.length; i++) if (groups.codes[i]! >= 0) present.add(groups.codes[i]!);
  return [...present]
    .sort((a, b) => a - b)
    .map((c) => groups.dictionary[c]!)
    .filter((id) => !known.has(id));
}

/**
 * Scaled copies of `columns` (scaler.features order). Each row uses its
 * group's stats; a missing group (code -1, or `groups` null) or one not seen
 * in training uses the global stats. NaN stays NaN.
 */
export function applyGroupScaler(scaler: GroupScaler, columns: readonly Float64Array[], groups: GroupCodes | null): Float64Array[] {
  const rows = checkColumns(columns, scaler.features, groups);
  const byId = new Map(scaler.groups.map((g) => [g.id, g] as const));
  // Resolve the caller's dictionary once: code → stats (global when unknown).
  const statsOf: ScalerStats[] = groups ? groups.dictionary.map((id) => byId.get(id) ?? scaler.global) : [];
  return columns.map((col, f) => {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const code = groups ? groups.codes[i]! : -1;
      const s = (code >= 0 ? statsOf[code] : undefined) ?? scaler.global;
      out[i] = (col[i]! - s.median[f]!) / s.scale[f]!;
    }
    return out;
  });
}

/** The scaler as plain JSON data (a deep copy, safe to embed and stringify). */
export function scalerToJson(scaler: GroupScaler): GroupScaler {
  const copy = (s: ScalerStats): ScalerStats => ({ count: [...s.count], median: [...s.median], scale: [...s.scale] });
  return { features: [...scaler.features], global: copy(scaler.global), groups: scaler.groups.map((g) => ({ id: g.id, ...copy(g) })) };
}

export { loadScaler } from './preprocess-schema';
