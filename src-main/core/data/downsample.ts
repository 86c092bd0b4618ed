/**
 * Min/max bucket downsampling: keeps the extremes of each bucket so spikes and
 * dropouts stay visible in a chart of at most `maxPoints` points.
 */
export function downsampleMinMax(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): { x: number[]; y: number[] } {
  const n = Math.min(x.length, y.length);
  if (n <= maxPoints) return { x: Array.from({ length: n }, (_, i) => x[i]!), y: Array.from({ length: n }, (_, i) => y[i]!) };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = n / buckets;
  const ox: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let iMin = -1;
    let iMax = -1;
    for (let i = start; i < end; i++) {
      const v = y[i]!;
      if (Number.isNaN(v)) continue;
      if (iMin < 0 || v < y[iMin]!) iMin = i;
      if (iMax < 0 || v > y[iMax]!) iMax = i;
    }
    if (iMin < 0) continue;
    const first = Math.min(iMin, iMax);
    const second = Math.max(iMin, iMax);
    ox.push(x[first]!);
    oy.push(y[first]!);
    if (second !== first) {
      ox.push(x[second]!);
      oy.push(y[second]!);
    }
  }
  return { x: ox, y: oy };
}
