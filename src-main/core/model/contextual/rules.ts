/**
 * Sequence rules over one building's time-ordered readings. Each returns,
 * per row, whether it fired, and each names the fault it suggests.
 *
 * - stuck: a column repeats exactly the same (non-zero) value for at least
 *   `hours` hours of adjacent readings: a frozen sensor. Every reading of the
 *   run is marked, not only those after the k-th.
 * - dropout: a meter reads zero or less while its expected load is clearly
 *   positive.
 * - jump: the residual changes between adjacent readings by more than
 *   `limit` times its ordinary change.
 */
import { adjacent, type BuildingSeries } from './series';
import { HOUR_MS } from '../../../contract/shared/time';

/** Marks (out[row] = 1) every reading in a run of equal non-zero values lasting ≥ `hours`; returns rows marked. */
export function markStuckRuns(values: Float64Array, time: Float64Array, s: BuildingSeries, hours: number, out: Uint8Array): number {
  const need = Math.max(2, Math.round((hours * HOUR_MS) / s.step));
  let marked = 0;
  let start = 0;
  const n = s.rows.length;
  for (let k = 1; k <= n; k++) {
    // The values first: they rarely repeat, so the adjacency of the readings is seldom worked out.
    const same =
      k < n &&
      values[s.rows[k]!] === values[s.rows[k - 1]!] &&
      values[s.rows[k]!] !== 0 &&
      Number.isFinite(values[s.rows[k]!]!) &&
      adjacent(time, s, k);
    if (same) continue;
    if (k - start >= need) {
      for (let j = start; j < k; j++) {
        if (!out[s.rows[j]!]) marked++;
        out[s.rows[j]!] = 1;
      }
    }
    start = k;
  }
  return marked;
}

/** Dropout: reading ≤ 0 where the expected load exceeds `clearlyPositive`. */
export function isDropout(actual: number, expected: number, clearlyPositive: number): boolean {
  return actual <= 0 && expected > clearlyPositive;
}

/** Jump strength of reading k: |r_k − r_{k−1}| / spread, 0 when not adjacent to the reading before. */
export function jumpSize(residual: Float64Array, time: Float64Array, s: BuildingSeries, k: number, spread: number): number {
  if (!adjacent(time, s, k)) return 0;
  const d = residual[s.rows[k]!]! - residual[s.rows[k - 1]!]!;
  return Number.isFinite(d) ? d / spread : 0;
}
