/**
 * Each building's readings in time order, and which neighbours are adjacent
 * (no gap between them). Sequence rules and rolling windows walk these
 * orders; rows of the input stay where they are.
 */
import { kthSmallest } from './robust';
import { HOUR_MS } from '../../../contract/shared/time';

export interface BuildingSeries {
  /** Code of the building in the input's dictionary (-1 = rows without an id). */
  code: number;
  /** Row indices in time order. */
  rows: Int32Array;
  /** Typical spacing between readings, ms (median of positive steps; 1 h when unknown). */
  step: number;
}

/**
 * Groups rows by building code and orders each group by time (stable for equal times). Typed arrays
 * throughout: the fit calls this on a million rows several times, and per-row boxed lists cost seconds.
 */
export function buildingSeries(time: Float64Array, codes: Int32Array | null): BuildingSeries[] {
  const n = time.length;
  // Rows of code c (−1 = without an id) at groups[start[c + 1] … start[c + 2]), in row order.
  let top = 0;
  if (codes) for (let i = 0; i < n; i++) if (codes[i]! > top) top = codes[i]!;
  const start = new Int32Array(top + 3);
  for (let i = 0; i < n; i++) start[(codes ? codes[i]! : 0) + 2]!++;
  for (let c = 1; c < start.length; c++) start[c]! += start[c - 1]!;
  const groups = new Int32Array(n);
  const at = start.slice(0, -1);
  for (let i = 0; i < n; i++) groups[at[(codes ? codes[i]! : 0) + 1]!++] = i;
  const out: BuildingSeries[] = [];
  for (let c = -1; c <= top; c++) {
    let rows = groups.slice(start[c + 1]!, start[c + 2]!);
    if (rows.length === 0) continue;
    let sorted = true;
    for (let k = 1; k < rows.length && sorted; k++) if (time[rows[k]!]! < time[rows[k - 1]!]!) sorted = false;
    if (!sorted) rows = Int32Array.from(Array.from(rows).sort((a, b) => time[a]! - time[b]! || a - b));
    out.push({ code: c, rows, step: typicalStep(time, rows) });
  }
  return out;
}

/** The median (lower middle) of the positive steps between consecutive rows; 1 h when there are none. */
function typicalStep(time: Float64Array, rows: Int32Array): number {
  const steps = new Float64Array(rows.length);
  let count = 0;
  for (let k = 1; k < rows.length; k++) {
    const d = time[rows[k]!]! - time[rows[k - 1]!]!;
    if (d > 0) steps[count++] = d;
  }
  if (count === 0) return HOUR_MS;
  const step = kthSmallest(steps.subarray(0, count), Math.floor((count - 1) / 2));
  return Number.isFinite(step) && step > 0 ? step : HOUR_MS;
}

/** True when reading k follows reading k-1 without a gap (within 1.5 typical steps). */
export function adjacent(time: Float64Array, s: BuildingSeries, k: number): boolean {
  if (k === 0) return false;
  const d = time[s.rows[k]!]! - time[s.rows[k - 1]!]!;
  return d >= 0 && d <= 1.5 * s.step;
}
