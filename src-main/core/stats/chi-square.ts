import { chiSquareSf } from './gamma';

export interface ChiSquareResult {
  statistic: number;
  dof: number;
  pValue: number;
}

/** Largest number of distinct values for which a feature is treated as categorical. */
export const LOW_CARDINALITY_MAX = 20;

/**
 * Pearson chi-square test of homogeneity for two samples of a categorical
 * (low-cardinality) variable, given counts per category on the same category
 * order — `scipy.stats.chi2_contingency([ref, cur], correction=False)`.
 * Categories empty on both sides are dropped (their expected count is 0);
 * with fewer than two categories left there is nothing to test: statistic 0,
 * dof 0, p 1 (scipy's answer for a 2×1 table).
 */
export function chiSquareHomogeneity(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): ChiSquareResult {
  if (refCounts.length !== curCounts.length) {
    throw new RangeError(`chi-square needs the same categories on both sides (${refCounts.length} vs ${curCounts.length})`);
  }
  let refTotal = 0;
  let curTotal = 0;
  const used: number[] = [];
  for (let k = 0; k < refCounts.length; k++) {
    const r = refCounts[k]!;
    const c = curCounts[k]!;
    if (r < 0 || c < 0 || !Number.isFinite(r) || !Number.isFinite(c)) throw new RangeError('counts must be finite and non-negative');
    if (r + c > 0) used.push(k);
    refTotal += r;
    curTotal += c;
  }
  if (refTotal === 0 || curTotal === 0) return { statistic: NaN, dof: 0, pValue: NaN };
  if (used.length < 2) return { statistic: 0, dof: 0, pValue: 1 };
  const total = refTotal + curTotal;
  let statistic = 0;
  for (const k of used) {
    const column = refCounts[k]! + curCounts[k]!;
    const expectedRef = (refTotal * column) / total;
    const expectedCur = (curTotal * column) / total;
    statistic += (refCounts[k]! - expectedRef) ** 2 / expectedRef + (curCounts[k]! - expectedCur) ** 2 / expectedCur;
  }
  const dof = used.length - 1;
  return { statistic, dof, pValue: chiSquareSf(statistic, dof) };
}

export interface ValueCounts {
  values: number[];
  counts: number[];
}

/** Distinct finite values and their counts, ascending by value. */
export function valueCounts(values: ArrayLike<number>): ValueCounts {
  const map = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    // -0 and 0 are one category.
    const key = v === 0 ? 0 : v;
    map.set(key, (map.get(key) ?? 0) + 1);
  }
  const keys = [...map.keys()].sort((a, b) => a - b);
  return { values: keys, counts: keys.map((k) => map.get(k)!) };
}

/** Counts of `values` per category of `categories`, plus those outside the list as extra categories. */
export function alignCounts(reference: ValueCounts, current: ValueCounts): { ref: number[]; cur: number[]; values: number[] } {
  const all = [...new Set([...reference.values, ...current.values])].sort((a, b) => a - b);
  const refMap = new Map(reference.values.map((v, i) => [v, reference.counts[i]!] as const));
  const curMap = new Map(current.values.map((v, i) => [v, current.counts[i]!] as const));
  return {
    values: all,
    ref: all.map((v) => refMap.get(v) ?? 0),
    cur: all.map((v) => curMap.get(v) ?? 0),
  };
}
