import { sortFinite } from './sort';

/**
 * Quantile of ascending, NaN-free data with numpy's default ('linear',
 * Hyndman & Fan type 7) rule, reproducing numpy's arithmetic step by step so
 * results match `np.quantile` bit for bit: the virtual index is `(n-1)*q`, and
 * the interpolation is anchored at the nearer neighbour (numpy's `_lerp`), which
 * keeps the result monotone in q and exact when both neighbours are equal.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(q)) return NaN;
  if (q < 0 || q > 1) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return sorted[n - 1]!;
  if (virtualIndex < 0) return sorted[0]!;
  const previous = Math.floor(virtualIndex);
  return lerp(sorted[previous]!, sorted[previous + 1]!, virtualIndex - previous);
}

/** numpy's `_lerp`: anchored at the nearer neighbour, so monotone in gamma and exact when a === b. */
export function lerp(a: number, b: number, gamma: number): number {
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Several quantiles of ascending, NaN-free data (see {@link quantileSorted}). */
export function quantilesSorted(sorted: ArrayLike<number>, qs: ArrayLike<number>): number[] {
  const out: number[] = new Array<number>(qs.length);
  for (let i = 0; i < qs.length; i++) out[i] = quantileSorted(sorted, qs[i]!);
  return out;
}

/** Quantiles of unsorted data: sorts a copy and ignores NaN (like `np.nanquantile`). */
export function quantiles(values: ArrayLike<number>, qs: ArrayLike<number>): number[] {
  return quantilesSorted(sortFinite(values), qs);
}

/** Copy of the finite values, sorted ascending (NaN and ±Infinity dropped). */
export const sortedCopy = sortFinite;
