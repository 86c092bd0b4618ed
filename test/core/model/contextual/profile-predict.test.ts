import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { predictProfiles } from '../../../../src-main/core/model/contextual/profile-predict';
import { hourOfWeek, predictDesign, slotOf, SLOTS, towtDesign, type TowtModel } from '../../../../src-main/core/model/contextual/towt';

/** Scoring's day profiles (predictProfiles) must be predictDesign's at each row's normal and closed-day slot, to the last bit. */
describe('predictProfiles', () => {
  const rng = createRng(23);
  const random = (lo: number, hi: number): number => lo + (hi - lo) * rng.next();
  function model(knots: number[], seasonal: boolean): TowtModel {
    const width = (knots.length ? knots.length + 1 : 0) + (seasonal ? 2 : 0);
    return {
      knots,
      occupied: Array.from({ length: SLOTS }, () => (rng.next() < 0.4 ? 1 : 0)),
      alpha: Array.from({ length: SLOTS }, () => random(-5, 60)),
      beta: Array.from({ length: 2 * width }, () => random(-3, 3)),
      fillTemp: 12.5,
      seasonal,
    };
  }

  it('known answer: one knot, no yearly terms', () => {
    const towt: TowtModel = {
      knots: [10],
      occupied: Array.from({ length: SLOTS }, (_, h) => (h === 168 + 9 ? 0 : h === 9 ? 1 : 0)),
      alpha: Array.from({ length: SLOTS }, (_, h) => h),
      beta: [-2, 1, -1, 0.5],
      fillTemp: 14,
      seasonal: false,
    };
    // Monday 09:00 UTC (hour of week 9, occupied) at 4 °C and 20 °C.
    const time = Float64Array.from([Date.UTC(2025, 0, 6, 9), Date.UTC(2025, 0, 6, 9)]);
    const temp = Float64Array.from([4, 20]);
    const rows = Int32Array.from([0, 1]);
    const how = Int32Array.from([9, 9]);
    const normal = new Float64Array(2);
    const closed = new Float64Array(2);
    predictProfiles(towt, 2, towtDesign(towt, temp, time, rows), how, rows, normal, closed);
    // Normal: 9 − 2·(4 − 10) = 21 and 9 + 1·(20 − 10) = 19; closed slot 177 (unoccupied): 177 − 1·(−6) = 183, 177 + 0.5·10 = 182.
    expect(Array.from(normal)).toEqual([42, 38]);
    expect(Array.from(closed)).toEqual([366, 364]);
  });

  it('equals scale × predictDesign at every row, for six knots with yearly terms, knots alone, yearly terms alone and neither', () => {
    const n = 3000;
    const start = Date.UTC(2024, 10, 3);
    const time = Float64Array.from({ length: n }, (_, i) => start + i * 3_600_000);
    const temp = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : random(-15, 38)));
    // Every other row, in a scrambled order (rows of a building among others').
    const rows = Int32Array.from({ length: n / 2 }, (_, k) => (k * 7919) % n);
    const how = Int32Array.from(time, (t) => hourOfWeek(t));
    for (const towt of [model([-3, 2.5, 7, 11.25, 16, 22], true), model([4, 18], false), model([], true), model([], false)]) {
      const design = towtDesign(towt, temp, time, rows);
      for (const scale of [1, 0.37, 41.5]) {
        const normal = new Float64Array(rows.length);
        const closed = new Float64Array(rows.length);
        predictProfiles(towt, scale, design, how, rows, normal, closed);
        for (let k = 0; k < rows.length; k++) {
          const h = how[rows[k]!]!;
          expect(normal[k]).toBe(scale * predictDesign(towt, h, design, k));
          expect(closed[k]).toBe(scale * predictDesign(towt, slotOf(h, true), design, k));
        }
      }
    }
  });
});
