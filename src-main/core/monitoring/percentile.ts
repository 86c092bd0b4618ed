/**
 * Percentiles with numpy's default ('linear') interpolation, by selection rather
 * than sorting: p95 over ten million latencies must take well under 300 ms and a
 * full sort of that many values does not. The rule is core/stats/quantile.ts's
 * (numpy bit for bit); only the way to the two neighbours differs.
 */
import { lerp } from '../stats/quantile';
import { quickselect } from '../stats/select';

/**
 * numpy.percentile(values, ps) for ps in [0, 100]. Reorders `work` in place; it
 * must not contain NaN. Returns NaN for each p when `work` is empty.
 */
export function percentilesInPlace(work: Float64Array, ps: readonly number[]): number[] {
  const n = work.length;
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(ps.length).fill(Number.NaN);
  if (n === 0) return out;
  let left = 0;
  for (const { p, i } of order) {
    // As numpy: q = p / 100 first, then the virtual index (n - 1) * q.
    const h = (n - 1) * (Math.min(100, Math.max(0, p)) / 100);
    const lo = Math.floor(h);
    // Everything left of an earlier selected index is ≤ it, so later (larger) ranks only search to its right.
    quickselect(work, lo, left, n - 1);
    left = lo;
    const a = work[lo]!;
    if (h === lo) {
      out[i] = a;
      continue;
    }
    let b = Number.POSITIVE_INFINITY;
    for (let j = lo + 1; j < n; j++) if (work[j]! < b) b = work[j]!;
    out[i] = lerp(a, b, h - lo);
  }
  return out;
}

/**
 * Nearest-rank percentiles (the ⌈p·n/100⌉-th smallest value): always a value
 * that occurred. Request latencies use it: the p50 of a 4 ms and a 6 ms request
 * is 4 ms, not a 5 ms no request took. Reorders `work` in place; NaN per p when empty.
 */
export function nearestRankInPlace(work: Float64Array, ps: readonly number[]): number[] {
  const n = work.length;
  const out = new Array<number>(ps.length).fill(Number.NaN);
  if (n === 0) return out;
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  let left = 0;
  for (const { p, i } of order) {
    const k = Math.min(n - 1, Math.max(0, Math.ceil((Math.min(100, Math.max(0, p)) * n) / 100) - 1));
    quickselect(work, k, left, n - 1);
    left = k;
    out[i] = work[k]!;
  }
  return out;
}

/** Convenience: copies, drops NaN, then selects. */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  return percentilesInPlace(finiteCopy(values), ps);
}

export function finiteCopy(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) out[k++] = v;
  }
  return k === out.length ? out : out.slice(0, k);
}
