import { bisectLeft, bisectRight, nice, ticks } from 'd3-array';

/**
 * Counts per right-closed bin for the given ascending edges:
 * `(-inf, e1], (e1, e2], …, (e_last, +inf)` — `edges.length + 1` bins. This is
 * the PSI binning of ARCHITECTURE §6. Non-finite values are skipped (treated as missing).
 */
export function countByEdges(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    // Number of edges strictly below v = index of the right-closed bin holding v.
    counts[bisectLeft(edges, v)]!++;
  }
  return counts;
}

/**
 * Same bins as {@link countByEdges} for ascending, NaN-free data: one binary
 * search per edge instead of one per value, so 1e6 values cost microseconds.
 */
export function countByEdgesSorted(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let below = 0;
  for (let k = 0; k < edges.length; k++) {
    const upTo = bisectRight(sorted, edges[k]!);
    counts[k] = upTo - below;
    below = upTo;
  }
  counts[edges.length] = sorted.length - below;
  return counts;
}

/** `bins + 1` equally spaced edges from `lo` to `hi` (a single bin around a constant). */
export function equalWidthEdges(lo: number, hi: number, bins: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) throw new RangeError(`bad range [${lo}, ${hi}]`);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (hi === lo) {
    // A constant feature still needs a visible bar: centre one unit-wide bin on it.
    const half = lo === 0 ? 0.5 : Math.abs(lo) * 0.5;
    return [lo - half, lo + half];
  }
  const edges = new Array<number>(bins + 1);
  const width = (hi - lo) / bins;
  for (let i = 0; i <= bins; i++) edges[i] = lo + i * width;
  edges[bins] = hi; // no rounding drift at the top, so the maximum stays inside
  return edges;
}

/**
 * Round-numbered equal-width edges covering [lo, hi] with at most `maxBins`
 * bins, from d3's tick logic, so chart axes read 0, 5, 10… rather than 0.137….
 * Falls back to plain equal-width edges when d3 cannot produce a nice step.
 */
export function niceEdges(lo: number, hi: number, maxBins: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) throw new RangeError(`bad range [${lo}, ${hi}]`);
  if (hi === lo) return equalWidthEdges(lo, hi, 1);
  // d3's tick count is a hint (steps are 1, 2 or 5 × 10^k), so lower it until the bins fit.
  for (let target = maxBins; target >= 1; target--) {
    const [start, stop] = nice(lo, hi, target);
    const edges = ticks(start, stop, target);
    if (edges.length >= 2 && edges.length - 1 <= maxBins && edges[0]! <= lo && edges[edges.length - 1]! >= hi) {
      return edges;
    }
  }
  return equalWidthEdges(lo, hi, maxBins);
}

/**
 * Counts per equal-width (or any ascending) bin `[e_i, e_{i+1})`, the last bin
 * closed, as d3's `bin` does. Values outside the range are clamped into the end
 * bins so the counts always add up to the number of non-NaN values.
 */
export function histogramCounts(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const bins = edges.length - 1;
  if (bins < 1) throw new RangeError('need at least two edges');
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const k = bisectRight(edges, v) - 1;
    counts[k < 0 ? 0 : k >= bins ? bins - 1 : k]!++;
  }
  return counts;
}

/** {@link histogramCounts} for ascending, NaN-free data (one search per edge). */
export function histogramCountsSorted(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const bins = edges.length - 1;
  if (bins < 1) throw new RangeError('need at least two edges');
  const counts = new Float64Array(bins);
  let below = 0;
  for (let k = 1; k < bins; k++) {
    const upTo = bisectLeft(sorted, edges[k]!);
    counts[k - 1] = upTo - below;
    below = upTo;
  }
  counts[bins - 1] = sorted.length - below;
  return counts;
}

/**
 * Moves counts from one set of bins onto another assuming values are spread
 * uniformly inside each source bin. Used to overlay a stored profile's
 * histogram on bins shared with the current data; totals are preserved (mass
 * outside the target range goes to the nearest end bin).
 */
export function rebinCounts(srcEdges: ArrayLike<number>, srcCounts: ArrayLike<number>, dstEdges: ArrayLike<number>): Float64Array {
  const bins = dstEdges.length - 1;
  const out = new Float64Array(bins);
  const lo = dstEdges[0]!;
  const hi = dstEdges[bins]!;
  for (let s = 0; s < srcCounts.length; s++) {
    const c = srcCounts[s]!;
    if (c === 0) continue;
    const a = srcEdges[s]!;
    const b = srcEdges[s + 1]!;
    if (b <= a) {
      out[clampBin(dstEdges, bins, a)]! += c;
      continue;
    }
    if (a < lo) out[0]! += (c * (Math.min(b, lo) - a)) / (b - a);
    if (b > hi) out[bins - 1]! += (c * (b - Math.max(a, hi))) / (b - a);
    for (let d = 0; d < bins; d++) {
      const overlap = Math.min(b, dstEdges[d + 1]!) - Math.max(a, dstEdges[d]!);
      if (overlap > 0) out[d]! += (c * overlap) / (b - a);
    }
  }
  return out;
}

function clampBin(edges: ArrayLike<number>, bins: number, v: number): number {
  const k = bisectRight(edges, v) - 1;
  return k < 0 ? 0 : k >= bins ? bins - 1 : k;
}

/** Counts divided by their total (all zeros when the total is zero). */
export function proportions(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const out = new Array<number>(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = total > 0 ? counts[i]! / total : 0;
  return out;
}
