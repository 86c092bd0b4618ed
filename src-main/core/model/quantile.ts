/** Quantile with numpy's default ("linear") interpolation; q in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // Written as numpy's _lerp so equal neighbours give exactly that value.
  return lo === hi ? a : a + (b - a) * (pos - lo);
}

/** Quantile of unsorted values (copies, never mutates the input). */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}
