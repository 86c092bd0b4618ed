import { createRng } from '../data/rng';
import { LOW_CARDINALITY_MAX } from '../stats/chi-square';
import { moments } from '../stats/moments';
import { equalWidthEdges, histogramCountsSorted } from '../stats/histogram';
import { PSI_DEFAULT_BINS, psiEdges, psiProportions } from '../stats/psi';
import { quantileSorted } from '../stats/quantile';
import { sortFinite, sortInPlace } from '../stats/sort';
import { sortFiniteRepeated } from '../stats/sort-repeated';
import type { SeasonSample } from './season';

/**
 * The reference profile stored with a model version (ARCHITECTURE §6): everything the
 * drift report needs from the training data, so drift can be measured later
 * without the training set. Plain JSON (numbers and arrays only, no NaN).
 */

export const PROFILE_FORMAT = 'greenlens.reference-profile';
export const PROFILE_VERSION = 1;
export const PROFILE_HISTOGRAM_BINS = 30;
export const PROFILE_DEFAULT_SAMPLE_SIZE = 10_000;
export const PROFILE_DEFAULT_SEED = 42;

export const PROFILE_QUANTILES = { p01: 0.01, p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
export type QuantileName = keyof typeof PROFILE_QUANTILES;

export interface FeatureProfile {
  name: string;
  /** Finite values. */
  count: number;
  /** NaN and ±Infinity: treated as missing readings throughout. */
  missing: number;
  /** Null only when the feature has no finite value (count 0); likewise below. */
  mean: number | null;
  /** Population standard deviation (ddof = 0). */
  std: number | null;
  min: number | null;
  max: number | null;
  quantiles: Record<QuantileName, number> | null;
  /** PSI bins of ARCHITECTURE §6: merged decile edges and the reference share per bin (`edges.length + 1` entries). */
  psi: { bins: number; edges: number[]; proportions: number[] };
  /** Equal-width histogram over [min, max] for charts (`edges.length - 1` counts). */
  histogram: { edges: number[]; counts: number[] };
  /** Number of distinct finite values. */
  distinct: number;
  /** Value counts when `distinct` ≤ 20 (chi-square instead of KS), ascending by value. */
  valueCounts: { values: number[]; counts: number[] } | null;
  /** Uniform random sample without replacement (sorted), used for KS and Wasserstein. */
  sample: number[];
}

export interface ReferenceProfile {
  format: typeof PROFILE_FORMAT;
  version: typeof PROFILE_VERSION;
  /** Number of rows of the reference data. */
  rows: number;
  /** PSI bin count B. */
  bins: number;
  sampleSize: number;
  seed: number;
  features: FeatureProfile[];
  /** Training readings with their day of the year, when the training data spans a year (season.ts withSeason); absent otherwise and in older profiles. */
  season?: SeasonSample;
}

export interface ProfileOptions {
  bins?: number;
  sampleSize?: number;
  seed?: number;
}

/** `hooks.progress(featuresDone, features)` before each feature is profiled (it may throw to cancel). */
export function buildReferenceProfile(
  columns: Record<string, ArrayLike<number>>,
  opts: ProfileOptions = {},
  hooks: { progress?(done: number, total: number): void } = {},
): ReferenceProfile {
  const bins = opts.bins ?? PSI_DEFAULT_BINS;
  const sampleSize = opts.sampleSize ?? PROFILE_DEFAULT_SAMPLE_SIZE;
  const seed = opts.seed ?? PROFILE_DEFAULT_SEED;
  if (!Number.isInteger(sampleSize) || sampleSize < 1) throw new RangeError(`sampleSize must be a positive integer, got ${sampleSize}`);
  const names = Object.keys(columns);
  let rows = 0;
  for (const name of names) rows = Math.max(rows, columns[name]!.length);
  const features = names.map((name, i) => {
    hooks.progress?.(i, names.length);
    return profileFeature(name, columns[name]!, bins, sampleSize, seed);
  });
  return { format: PROFILE_FORMAT, version: PROFILE_VERSION, rows, bins, sampleSize, seed, features };
}

function profileFeature(name: string, values: ArrayLike<number>, bins: number, sampleSize: number, seed: number): FeatureProfile {
  // Readings rounded to a few decimals repeat: counting them sorts a year of them in a quarter of the time.
  const sorted = sortFiniteRepeated(values) ?? sortFinite(values);
  const count = sorted.length;
  const missing = values.length - count;
  if (count === 0) {
    return {
      name,
      count,
      missing,
      mean: null,
      std: null,
      min: null,
      max: null,
      quantiles: null,
      psi: { bins, edges: [], proportions: [] },
      histogram: { edges: [], counts: [] },
      distinct: 0,
      valueCounts: null,
      sample: [],
    };
  }
  const { mean, std } = moments(sorted);
  const min = sorted[0]!;
  const max = sorted[count - 1]!;
  const quantiles = {} as Record<QuantileName, number>;
  for (const [key, q] of Object.entries(PROFILE_QUANTILES) as Array<[QuantileName, number]>) quantiles[key] = quantileSorted(sorted, q);
  const edges = psiEdges(sorted, bins);
  const histEdges = equalWidthEdges(min, max, PROFILE_HISTOGRAM_BINS);
  const runs = distinctRuns(sorted, LOW_CARDINALITY_MAX);
  return {
    name,
    count,
    missing,
    mean,
    std,
    min,
    max,
    quantiles,
    psi: { bins, edges, proportions: psiProportions(sorted, edges, true)! },
    histogram: { edges: histEdges, counts: Array.from(histogramCountsSorted(sorted, histEdges)) },
    distinct: runs.distinct,
    valueCounts: runs.valueCounts,
    sample: Array.from(reservoirSample(sorted, sampleSize, featureSeed(seed, name))),
  };
}

/** Distinct count of sorted data, with the value counts kept while there are at most `maxKept`. */
function distinctRuns(sorted: Float64Array, maxKept: number): { distinct: number; valueCounts: FeatureProfile['valueCounts'] } {
  const values: number[] = [];
  const counts: number[] = [];
  let distinct = 0;
  for (let i = 0; i < sorted.length;) {
    const v = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    distinct++;
    if (distinct <= maxKept) {
      values.push(v === 0 ? 0 : v); // -0 and 0 are one category
      counts.push(j - i);
    }
    i = j;
  }
  return { distinct, valueCounts: distinct <= maxKept ? { values, counts } : null };
}

/**
 * Uniform sample without replacement (Algorithm R), sorted. Any k-subset is
 * equally likely whatever the input order, so sampling the sorted array is as
 * good as sampling the raw column and keeps the result independent of row order.
 */
export function reservoirSample(values: ArrayLike<number>, k: number, seed: number): Float64Array {
  if (values.length <= k) return sortInPlace(Float64Array.from(values));
  const rng = createRng(seed);
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) out[i] = values[i]!;
  for (let i = k; i < values.length; i++) {
    const j = rng.int(i + 1);
    if (j < k) out[j] = values[i]!;
  }
  return sortInPlace(out);
}

/** Per-feature seed, so adding or reordering features leaves the other samples unchanged. */
function featureSeed(seed: number, name: string): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}
