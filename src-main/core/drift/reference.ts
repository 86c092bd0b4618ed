import { LOW_CARDINALITY_MAX, valueCounts, type ValueCounts } from '../stats/chi-square';
import { moments } from '../stats/moments';
import { PSI_DEFAULT_BINS, psiEdges, psiProportions } from '../stats/psi';
import { sortFinite, sortInPlace } from '../stats/sort';
import type { FeatureProfile, ReferenceProfile } from './profile';

/**
 * One feature of the reference side, in the form the measurements need,
 * whether it came from raw training columns or from a stored profile.
 */
export interface PreparedFeature {
  name: string;
  source: 'raw' | 'profile';
  count: number;
  missing: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Ascending finite values used for KS / Wasserstein: the full column (raw) or the profile sample. */
  sorted: Float64Array;
  psiEdges: number[];
  psiProportions: number[];
  /** Set when the reference has at most 20 distinct values: chi-square replaces KS. */
  valueCounts: ValueCounts | null;
  /** The profile's chart histogram (profile only; raw references are binned directly). */
  histogram: { edges: number[]; counts: number[] } | null;
}

export type Reference = ReferenceProfile | Record<string, ArrayLike<number>>;

export function isProfile(reference: Reference): reference is ReferenceProfile {
  const candidate = reference as Partial<ReferenceProfile>;
  return candidate.format === 'greenlens.reference-profile' && Array.isArray(candidate.features);
}

export function referenceFeatureNames(reference: Reference): string[] {
  return isProfile(reference) ? reference.features.map((f) => f.name) : Object.keys(reference);
}

/**
 * Prepares one feature; null when the reference has no finite value for it.
 * Raw columns give exact statistics. With a profile, PSI uses the stored edges
 * and proportions (identical to the raw computation) while KS and Wasserstein
 * run on the stored sample.
 */
export function prepareFeature(reference: Reference, name: string, bins: number = PSI_DEFAULT_BINS): PreparedFeature | null {
  if (isProfile(reference)) {
    const f = reference.features.find((x) => x.name === name);
    return f ? fromProfile(f) : null;
  }
  const column = reference[name];
  return column ? fromRaw(name, column, bins) : null;
}

function fromProfile(f: FeatureProfile): PreparedFeature | null {
  if (f.count === 0 || f.mean === null || f.std === null || f.min === null || f.max === null) return null;
  return {
    name: f.name,
    source: 'profile',
    count: f.count,
    missing: f.missing,
    mean: f.mean,
    std: f.std,
    min: f.min,
    max: f.max,
    sorted: sortInPlace(Float64Array.from(f.sample)),
    psiEdges: f.psi.edges,
    psiProportions: f.psi.proportions,
    valueCounts: f.valueCounts,
    histogram: f.histogram,
  };
}

function fromRaw(name: string, column: ArrayLike<number>, bins: number): PreparedFeature | null {
  const sorted = sortFinite(column);
  if (sorted.length === 0) return null;
  const { mean, std } = moments(sorted);
  const edges = psiEdges(sorted, bins);
  const counts = countDistinctUpTo(sorted, LOW_CARDINALITY_MAX + 1) <= LOW_CARDINALITY_MAX ? valueCounts(sorted) : null;
  return {
    name,
    source: 'raw',
    count: sorted.length,
    missing: column.length - sorted.length,
    mean,
    std,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    sorted,
    psiEdges: edges,
    psiProportions: psiProportions(sorted, edges, true)!,
    valueCounts: counts,
    histogram: null,
  };
}

/** Distinct values of sorted data, stopping early once `limit` is reached. */
export function countDistinctUpTo(sorted: Float64Array, limit: number): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length && distinct < limit; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  }
  return distinct;
}
