export interface Moments {
  count: number;
  mean: number;
  /** Population standard deviation (ddof = 0, numpy's default). */
  std: number;
  min: number;
  max: number;
}

/**
 * Count, mean, population std, min and max of the finite values, in one pass
 * (Welford's update, stable for large offsets such as kWh meter totals).
 * Empty input gives count 0 and NaN statistics.
 */
export function moments(values: ArrayLike<number>): Moments {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count: 0, mean: NaN, std: NaN, min: NaN, max: NaN };
  return { count, mean, std: Math.sqrt(m2 / count), min, max };
}
