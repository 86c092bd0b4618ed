/** Robust location and spread, shared by the baseline and the ensemble. Linear time (selection, no sort). */
import { quickselect } from '../../stats/select';

/** σ of normal data = 1.4826 × median absolute deviation. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * The k-th smallest (0-based) of a[0..n), reordering `a` in place so that a[0..k) ≤ a[k] ≤ a(k..n).
 * The k-th smallest is one value whatever the method; Floyd–Rivest selection narrows a large range to a
 * small one around the answer first, and cut the baseline fits' selections (medians and spreads) by about
 * a quarter against Hoare's with a median-of-three pivot.
 */
export function selectKth(a: Float64Array, k: number): number {
  quickselect(a, k, 0, a.length - 1);
  return a[k]!;
}

/** The k-th smallest (0-based) of a scratch array that may be reordered: what sorting it and indexing gives. */
export function kthSmallest(a: Float64Array, k: number): number {
  if (!(k >= 0 && k < a.length)) throw new Error(`no element ${k} among ${a.length}`);
  return selectKth(a, k);
}

/** Median of values in a scratch array that may be reordered. */
function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const upper = selectKth(a, n >> 1);
  if (n % 2) return upper;
  // The lower middle is the largest of the left part after selection.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/** Median of the values (NaN must not be present; see robustSigma for finite filtering). */
export function medianOf(values: Float64Array): number {
  return medianInPlace(Float64Array.from(values));
}

/**
 * Median of the finite values among values[rows[k]] (all values when rows is null), gathered in order into one
 * scratch array: what medianOf of a finite copy of them gives, without the two copies. NaN when none is finite.
 */
export function finiteMedianAt(values: Float64Array, rows: Int32Array | null = null): number {
  const n = rows ? rows.length : values.length;
  const a = new Float64Array(n);
  let k = 0;
  for (let j = 0; j < n; j++) {
    const v = values[rows ? rows[j]! : j]!;
    if (Number.isFinite(v)) a[k++] = v;
  }
  return medianInPlace(k === n ? a : a.subarray(0, k));
}

/** The finite values, copied (a scratch array selection may reorder); a plain loop, as typed-array filter with a callback is several times slower. */
export function finiteCopy(values: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) count++;
  if (count === values.length) return values.slice();
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out[k++] = values[i]!;
  return out;
}

/** 1.4826 × MAD of the finite values (NaN when there are none). */
export function robustSigma(values: Float64Array): number {
  return robustSigmaInPlace(finiteCopy(values));
}

/**
 * robustSigma of finite values in a scratch array, which it overwrites (with their absolute deviations):
 * the same figure without the copy, for a caller that gathered the values itself.
 */
export function robustSigmaInPlace(finite: Float64Array): number {
  if (finite.length === 0) return NaN;
  const m = medianInPlace(finite);
  for (let i = 0; i < finite.length; i++) finite[i] = Math.abs(finite[i]! - m);
  return MAD_TO_SIGMA * medianInPlace(finite);
}

/** Element ⌊share·n⌋ (at most n − 1) of the finite |values| in ascending order, by selection; NaN when there are none. */
export function absQuantile(values: Float64Array, share: number): number {
  const a = finiteCopy(values);
  if (a.length === 0) return NaN;
  for (let i = 0; i < a.length; i++) a[i] = Math.abs(a[i]!);
  return selectKth(a, Math.min(a.length - 1, Math.floor(share * a.length)));
}

/**
 * Element ⌊share·(n − 1)⌋ of the n finite values in ascending order — what sorting them and indexing would
 * give — by selection on a copy; NaN when there are none. The holdout cutoff of a million timestamps.
 */
export function finiteAtShare(values: Float64Array, share: number): number {
  const a = finiteCopy(values);
  if (a.length === 0) return NaN;
  return selectKth(a, Math.min(a.length - 1, Math.max(0, Math.floor(share * (a.length - 1)))));
}
