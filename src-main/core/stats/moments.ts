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
 * Values near ±1e300 would overflow the squared deviations; then the pass is
 * repeated on the values divided by a power of two (exact) and scaled back.
 * Empty input gives count 0 and NaN statistics.
 */
export function moments(values: ArrayLike<number>): Moments {
  const first = welford(values, 1);
  if (first.count === 0) return { count: 0, mean: NaN, std: NaN, min: NaN, max: NaN };
  if (Number.isFinite(first.mean) && Number.isFinite(first.m2)) {
    return { count: first.count, mean: first.mean, std: Math.sqrt(first.m2 / first.count), min: first.min, max: first.max };
  }
  // floor, not ceil: 2^1024 is already Infinity; the scaled values stay within ±2.
  const scale = 2 ** Math.floor(Math.log2(Math.max(Math.abs(first.min), Math.abs(first.max))));
  const scaled = welford(values, scale);
  return {
    count: scaled.count,
    mean: scaled.mean * scale,
    std: Math.sqrt(scaled.m2 / scaled.count) * scale,
    min: first.min,
    max: first.max,
  };
}

function welford(values: ArrayLike<number>, scale: number): { count: number; mean: number; m2: number; min: number; max: number } {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    if (!Number.isFinite(raw)) continue;
    const v = raw / scale;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (raw < min) min = raw;
    if (raw > max) max = raw;
  }
  return { count, mean, m2, min, max };
}
