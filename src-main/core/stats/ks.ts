import { compareEcdfs } from './ecdf';
import { attemptExactTwoSided, roundHalfEven } from './ks-exact';
import { kstwoSf } from './kolmogorov';
import { sortFinite } from './sort';

/**
 * Two-sample, two-sided Kolmogorov–Smirnov test matching
 * `scipy.stats.ks_2samp(a, b, alternative='two-sided', method='auto')`
 * (scipy 1.17): exact p-value when max(n1, n2) ≤ 10,000, otherwise
 * `kstwo.sf(D, round(n1·n2/(n1+n2)))`; an exact computation that fails (non
 * finite or outside [0, 1]) falls back to the asymptotic one, as scipy does.
 */

/** scipy's MAX_AUTO_N: 'auto' is exact up to this many values per side. */
export const KS_MAX_EXACT_N = 10_000;

export type KsMethod = 'exact' | 'asymp';

export interface KsResult {
  /** sup |F1 − F2|; in exact mode snapped to h/lcm(n1, n2) like scipy. */
  statistic: number;
  pValue: number;
  method: KsMethod;
  n1: number;
  n2: number;
}

/**
 * D on merged sorted data with right-continuous ECDFs (scipy's
 * `searchsorted(side='right')`): the ECDF difference is evaluated only after
 * every copy of a tied value has been consumed on both sides, so ties never
 * inflate D.
 */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return compareEcdfs(a, b).ksStatistic;
}

/** KS test on ascending, NaN-free samples (see {@link ks2samp}). */
export function ks2sampSorted(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('KS test needs at least one value on each side');
  return ksFromStatistic(ksStatisticSorted(a, b), n1, n2);
}

/** p-value and method for an already computed statistic D of samples of sizes n1 and n2. */
export function ksFromStatistic(statistic: number, n1: number, n2: number): KsResult {
  let d = statistic;
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const exact = attemptExactTwoSided(n1, n2, d);
    d = exact.d;
    if (exact.success) return { statistic: d, pValue: clamp01(exact.pValue), method: 'exact', n1, n2 };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: clamp01(kstwoSf(d, roundHalfEven(en))), method: 'asymp', n1, n2 };
}

/** KS test on raw samples; NaN and ±Infinity are dropped first (they are missing readings). */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  return ks2sampSorted(sortFinite(a), sortFinite(b));
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
