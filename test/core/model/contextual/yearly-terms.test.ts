import { describe, expect, it } from 'vitest';
import { buildingSeries } from '../../../../src-main/core/model/contextual/series';
import { towtDesign, yearPhase } from '../../../../src-main/core/model/contextual/towt';
import { yearlyTerms } from '../../../../src-main/core/model/contextual/yearly-terms';

const HOUR = 3_600_000;

/** Each row's terms must be sin and cos of its own phase, whatever was copied from where. */
function expectExact(time: Float64Array, terms: { sin: Float64Array; cos: Float64Array }, rows: Iterable<number> = time.keys()): void {
  for (const i of rows) {
    const a = yearPhase(time[i]!);
    if (!Object.is(terms.sin[i], Math.sin(a)) || !Object.is(terms.cos[i], Math.cos(a))) {
      expect([i, terms.sin[i], terms.cos[i]]).toEqual([i, Math.sin(a), Math.cos(a)]);
    }
  }
}

describe('yearlyTerms', () => {
  it('known answers: a quarter of a year is a quarter turn', () => {
    const year = 365.25 * 86_400_000;
    const time = Float64Array.from([0, year / 4, year / 2]);
    const t = yearlyTerms(time, buildingSeries(time, null));
    [0, 1, 0].forEach((v, i) => expect(t.sin[i]).toBeCloseTo(v, 12));
    [1, 0, -1].forEach((v, i) => expect(t.cos[i]).toBeCloseTo(v, 12));
  });

  it('is sin and cos of every row’s own phase: buildings at the same hours, at other hours, shorter, with gaps, and from one call to the next', () => {
    const start = Date.UTC(2025, 0, 1);
    // Rows interleaved by time as a file sorted by time has them; building 2 misses some hours, building 3 is an hour late,
    // building 4 holds a missing time and both zeros.
    const time: number[] = [];
    const codes: number[] = [];
    for (let h = 0; h < 400; h++)
      for (let b = 0; b < 5; b++) {
        if (b === 2 && h % 17 === 3) continue;
        time.push(
          b === 3 ? start + (h + 1) * HOUR : b === 4 && h === 5 ? NaN : b === 4 && h === 6 ? -0 : b === 4 && h === 7 ? 0 : start + h * HOUR,
        );
        codes.push(b);
      }
    const t = Float64Array.from(time);
    const series = buildingSeries(t, Int32Array.from(codes));
    expectExact(t, yearlyTerms(t, series));
    // A second slice on this thread starts from the last building of the first, at other hours.
    const later = Float64Array.from(t, (v) => v + 5 * HOUR);
    expectExact(later, yearlyTerms(later, series));
    const two = series.slice(1, 3);
    expectExact(
      t,
      yearlyTerms(t, two),
      two.flatMap((s) => Array.from(s.rows)),
    );
  });

  it('gives towtDesign the design it computes itself', () => {
    const time = Float64Array.from({ length: 300 }, (_, i) => Date.UTC(2025, 5, 1) + (i % 150) * HOUR);
    const temp = Float64Array.from({ length: 300 }, (_, i) => (i % 13) - 2);
    const codes = Int32Array.from({ length: 300 }, (_, i) => (i < 150 ? 0 : 1));
    const series = buildingSeries(time, codes);
    const yearly = yearlyTerms(time, series);
    const terms = { knots: [0, 4, 8], fillTemp: 3, seasonal: true };
    for (const s of series) expect(towtDesign(terms, temp, time, s.rows, yearly)).toEqual(towtDesign(terms, temp, time, s.rows));
  });
});
