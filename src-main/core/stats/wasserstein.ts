import { compareEcdfs } from './ecdf';
import { sortFinite } from './sort';

/**
 * 1-D Wasserstein-1 distance between two ascending, NaN-free samples:
 * ∫ |F_u(t) − F_v(t)| dt, as scipy's `_cdf_distance(1, u, v)` (right-continuous
 * ECDFs between consecutive merged values), in one merge walk.
 */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return compareEcdfs(u, v).wasserstein;
}

/** `scipy.stats.wasserstein_distance(u, v)` on raw samples (non-finite values dropped). */
export function wasserstein(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return wassersteinSorted(sortFinite(u), sortFinite(v));
}

/**
 * Wasserstein distance in units of the reference standard deviation, so one
 * effect-size threshold fits features on any scale. A constant reference
 * (std 0) gives 0 when the distance is 0 and {@link EFFECT_SIZE_CAP} otherwise.
 */
export function normalisedWasserstein(distance: number, referenceStd: number): number {
  return scaleByStd(distance, referenceStd);
}

/**
 * Upper bound for effect sizes measured in reference standard deviations. A
 * zero-variance reference makes any change infinitely many σ; JSON has no
 * Infinity, so such values (and absurdly large ones) are capped here.
 */
export const EFFECT_SIZE_CAP = 1e6;

export function scaleByStd(difference: number, referenceStd: number): number {
  if (Number.isNaN(difference) || Number.isNaN(referenceStd)) return NaN;
  const d = Math.abs(difference);
  if (d === 0) return 0;
  if (referenceStd === 0) return EFFECT_SIZE_CAP;
  return Math.min(EFFECT_SIZE_CAP, d / referenceStd);
}
