/**
 * Each building's readings in time order, and which neighbours are adjacent
 * (no gap between them). Sequence rules and rolling windows walk these
 * orders; rows of the input stay where they are.
 */
export interface BuildingSeries {
  /** Code of the building in the input's dictionary (-1 = rows without an id). */
  code: number;
  /** Row indices in time order. */
  rows: Int32Array;
  /** Typical spacing between readings, ms (median of positive steps; 1 h when unknown). */
  step: number;
}

const HOUR = 3_600_000;

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values.length ? values[Math.floor((values.length - 1) / 2)]! : NaN;
}

/** Groups rows by building code and orders each group by time (stable for equal times). */
export function buildingSeries(time: Float64Array, codes: Int32Array | null): BuildingSeries[] {
  const n = time.length;
  const byCode = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = codes ? codes[i]! : 0;
    let list = byCode.get(c);
    if (!list) byCode.set(c, (list = []));
    list.push(i);
  }
  const out: BuildingSeries[] = [];
  for (const [code, list] of byCode) {
    let sorted = true;
    for (let k = 1; k < list.length; k++) if (time[list[k]!]! < time[list[k - 1]!]!) sorted = false;
    if (!sorted) list.sort((a, b) => time[a]! - time[b]! || a - b);
    const steps: number[] = [];
    for (let k = 1; k < list.length; k++) {
      const d = time[list[k]!]! - time[list[k - 1]!]!;
      if (d > 0) steps.push(d);
    }
    const step = steps.length ? median(steps) : HOUR;
    out.push({ code, rows: Int32Array.from(list), step: Number.isFinite(step) && step > 0 ? step : HOUR });
  }
  return out.sort((a, b) => a.code - b.code);
}

/** True when reading k follows reading k-1 without a gap (within 1.5 typical steps). */
export function adjacent(time: Float64Array, s: BuildingSeries, k: number): boolean {
  if (k === 0) return false;
  const d = time[s.rows[k]!]! - time[s.rows[k - 1]!]!;
  return d >= 0 && d <= 1.5 * s.step;
}
