import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { loadRatio, loadRatiosAt } from '../../../../src-main/core/model/contextual/load-scale';
import { SLOTS, towtDesign, type TowtModel } from '../../../../src-main/core/model/contextual/towt';

/** Scoring takes each reading's load ratio from the design its expectations came from (loadRatiosAt): it must be loadRatio's. */
describe('load ratios read from the design', () => {
  // One segment below 10 °C (slope −2 per degree while occupied, −1 otherwise), flat above; fill temperature 14 °C.
  const simple: TowtModel = {
    knots: [10],
    occupied: Array.from({ length: SLOTS }, (_, h) => (h % 2 === 0 ? 1 : 0)),
    alpha: new Array<number>(SLOTS).fill(0),
    beta: [-2, 0, -1, 0],
    fillTemp: 14,
    seasonal: false,
  };

  it('known answers: occupied and unoccupied slots, a missing temperature, warmer than typical', () => {
    const rows = Int32Array.from([3, 0, 1, 2]);
    const temp = Float64Array.from([0, 0, NaN, 20]);
    const slot = Int32Array.from([0, 1, 0, 0]);
    // Occupied at 0 °C: expected 70 against 50 at 14 °C; unoccupied 20 against 10.
    const expected = Float64Array.from([70, 20, 70, 50]);
    const out = new Float64Array(4);
    expect(loadRatiosAt(simple, 1, towtDesign(simple, temp, null, rows), rows, slot, temp, expected, out)).toBe(true);
    expect(Array.from(out)).toEqual([1, 1.4, 2, 1]);
    // No temperature terms: every ratio is 1, and nothing is written.
    const flat = { ...simple, knots: [], beta: [] };
    const untouched = Float64Array.from([7, 7, 7, 7]);
    expect(loadRatiosAt(flat, 1, towtDesign(flat, temp, null, rows), rows, slot, temp, expected, untouched)).toBe(false);
    expect(Array.from(untouched)).toEqual([7, 7, 7, 7]);
  });

  it('equals loadRatio to the last bit on a seasonal model with six knots, at any scale', () => {
    const rng = createRng(17);
    const knots = [-3, 2.5, 7, 11.25, 16, 22];
    const width = knots.length + 1 + 2;
    const towt: TowtModel = {
      knots,
      occupied: Array.from({ length: SLOTS }, () => (rng.next() < 0.4 ? 1 : 0)),
      alpha: Array.from({ length: SLOTS }, () => 20 + 30 * rng.next()),
      beta: Array.from({ length: 2 * width }, () => 4 * rng.normal()),
      fillTemp: 9.7,
      seasonal: true,
    };
    const n = 5000;
    const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2025, 0, 1) + i * 3_600_000);
    const temp = Float64Array.from({ length: n }, (_, i) => (i % 41 === 0 ? NaN : -15 + 50 * rng.next()));
    const slot = Int32Array.from({ length: n }, () => rng.int(SLOTS));
    const expected = Float64Array.from({ length: n }, () => -10 + 120 * rng.next());
    // Every other row, backwards: the design follows the rows' order.
    const rows = Int32Array.from({ length: n / 2 }, (_, k) => n - 1 - 2 * k);
    const design = towtDesign(towt, temp, time, rows);
    for (const scale of [1, 0.37, 2.5]) {
      const out = new Float64Array(rows.length);
      loadRatiosAt(towt, scale, design, rows, slot, temp, expected, out);
      let above = 0;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k]!;
        expect(Object.is(out[k], loadRatio(towt, scale, slot[i]!, temp[i]!, expected[i]!))).toBe(true);
        if (out[k]! > 1) above++;
      }
      // Not a trivial 1 everywhere.
      expect(above).toBeGreaterThan(100);
    }
  });
});
