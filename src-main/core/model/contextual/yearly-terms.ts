/**
 * The yearly terms of a scored slice's readings (towt.ts: sin and cos of the
 * phase of the year), each computed once per distinct time and position. The
 * buildings of a fleet are read at the same hours, so a building's k-th
 * reading is usually at the time of the previous building's k-th (in this
 * slice, or the last building this thread scored): its terms are then copied,
 * not computed again (a floating-point remainder, a sine and a cosine per
 * reading were about a tenth of the scoring kernel). A copy is only taken from
 * the same time, so the values are the same bits.
 */
import type { BuildingSeries } from './series';
import { yearPhase, type YearlyTerms } from './towt';

/** A building's times and terms by position (`length` of them valid). */
interface ByPosition {
  length: number;
  time: Float64Array;
  sin: Float64Array;
  cos: Float64Array;
}

const empty = (capacity: number): ByPosition => ({
  length: 0,
  time: new Float64Array(capacity),
  sin: new Float64Array(capacity),
  cos: new Float64Array(capacity),
});

/** The last building's (kept for the next building, and the next slice on this thread) and a spare, swapped per building. */
let last = empty(0);
let spare = empty(0);

export function yearlyTerms(time: Float64Array, series: readonly BuildingSeries[]): YearlyTerms {
  const sin = new Float64Array(time.length);
  const cos = new Float64Array(time.length);
  for (const s of series) {
    const rows = s.rows;
    const ref = last;
    const next = spare.time.length >= rows.length ? spare : empty(rows.length);
    const shared = Math.min(ref.length, rows.length);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const t = time[i]!;
      if (k < shared && Object.is(ref.time[k], t)) {
        sin[i] = ref.sin[k]!;
        cos[i] = ref.cos[k]!;
      } else {
        const a = yearPhase(t);
        sin[i] = Math.sin(a);
        cos[i] = Math.cos(a);
      }
      next.time[k] = t;
      next.sin[k] = sin[i]!;
      next.cos[k] = cos[i]!;
    }
    next.length = rows.length;
    spare = ref;
    last = next;
  }
  return { sin, cos };
}
