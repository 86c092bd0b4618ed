import { describe, expect, it } from 'vitest';
import {
  addRightHandSides,
  addTemperatureRightHandSide,
  fitTowt,
  fitTowtDesign,
  hourOfWeek,
  predictDesign,
  predictTowt,
  quantileKnots,
  slotGram,
  temperatureComponents,
  towtDesign,
  towtTerms,
} from '../../../../src-main/core/model/contextual/towt';

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2025, 0, 6);

/** A building whose expected load is known exactly: hour-of-week profile plus a V-shaped temperature response. */
function knownBuilding(weeks: number) {
  const n = weeks * 168;
  const how = new Int32Array(n);
  const temp = new Float64Array(n);
  const y = new Float64Array(n);
  const alpha = Array.from({ length: 168 }, (_, h) => 20 + (h % 24 >= 8 && h % 24 < 18 && h < 120 ? 30 : 0) + (h % 5));
  const truth = (h: number, t: number): number => alpha[h]! + 2 * Math.max(0, 12 - t) + 3 * Math.max(0, t - 22);
  for (let i = 0; i < n; i++) {
    how[i] = hourOfWeek(MONDAY + i * HOUR);
    temp[i] = 15 + 14 * Math.sin((2 * Math.PI * i) / (24 * 61)) + 4 * Math.sin(i / 3);
    y[i] = truth(how[i]!, temp[i]!);
  }
  return { how, temp, y, truth, alpha };
}

describe('time-of-week-and-temperature model', () => {
  it('numbers the hours of the week from Monday 00:00 UTC', () => {
    expect(hourOfWeek(MONDAY)).toBe(0);
    expect(hourOfWeek(MONDAY + 14 * HOUR)).toBe(14);
    expect(hourOfWeek(Date.UTC(2025, 0, 7, 14))).toBe(24 + 14); // Tuesday 14:00
    expect(hourOfWeek(Date.UTC(2025, 0, 12, 23))).toBe(167); // Sunday 23:00
    expect(hourOfWeek(Date.UTC(1969, 11, 29))).toBe(0); // a Monday before the epoch
  });

  it('writes CalTRACK segment components that sum back to the temperature', () => {
    const out = new Float64Array(4);
    temperatureComponents([0, 10, 20], 14, out);
    expect(Array.from(out)).toEqual([0, 10, 4, 0]);
    temperatureComponents([0, 10, 20], -5, out);
    expect(Array.from(out)).toEqual([-5, 0, 0, 0]);
    temperatureComponents([0, 10, 20], 27, out);
    expect(Array.from(out)).toEqual([0, 10, 10, 7]);
  });

  it('recovers a building whose load is exactly hour-of-week + piecewise-linear temperature: zero residuals', () => {
    const b = knownBuilding(30);
    // Knots at the truth's break points (plus others): the model family contains the truth.
    const model = fitTowt({ y: b.y, how: b.how, temp: b.temp, weights: null }, [5, 12, 17, 22, 26], new Array(168).fill(1), 0);
    let worst = 0;
    for (let i = 0; i < b.y.length; i++) worst = Math.max(worst, Math.abs(predictTowt(model, b.how[i]!, b.temp[i]!, 0) - b.y[i]!));
    expect(worst).toBeLessThan(1e-6);
    // Slopes: −2 below 12 °C, 0 between, +3 above 22 °C (segment coefficients of the occupied block).
    expect(model.beta[0]).toBeCloseTo(-2, 6); // below 5
    expect(model.beta[1]).toBeCloseTo(-2, 6); // 5-12
    expect(model.beta[2]).toBeCloseTo(0, 6);
    expect(model.beta[4]).toBeCloseTo(3, 6); // 22-26
    expect(model.beta[5]).toBeCloseTo(3, 6); // above 26
    // Out of the training range the line continues.
    expect(predictTowt(model, 10, 40, 0)).toBeCloseTo(b.truth(10, 40), 5);
  });

  it('without temperature fits the mean per hour of week, and fills hours never seen', () => {
    const how = Int32Array.from([0, 0, 1, 1, 25]);
    const y = Float64Array.from([10, 12, 5, 7, 40]);
    const m = fitTowt({ y, how, temp: null, weights: null }, []);
    expect(m.alpha[0]).toBeCloseTo(11, 9);
    expect(m.alpha[1]).toBeCloseTo(6, 9);
    expect(m.alpha[25]).toBeCloseTo(40, 9);
    expect(m.alpha[24]).toBeCloseTo(11, 9); // Tuesday 00:00 unseen: Monday 00:00's value
    expect(m.alpha[50]).toBeCloseTo((11 + 6 + 40) / 3, 9); // hour 2 never seen: overall mean
  });

  it('finds occupied hours of the week by the LBNL rule', () => {
    const b = knownBuilding(20);
    const m = fitTowt({ y: b.y, how: b.how, temp: b.temp, weights: null }, quantileKnots(b.temp, 6));
    expect(m.occupied[24 + 10]).toBe(1); // Tuesday 10:00
    expect(m.occupied[24 + 3]).toBe(0); // Tuesday 03:00
    expect(m.occupied[144 + 10]).toBe(0); // Sunday 10:00
  });

  it('fits the same model from slot sums (only rows weighing less than 1 revisited) as from a full pass, and predicts it from the design', () => {
    const b = knownBuilding(60);
    const n = b.y.length;
    const time = Float64Array.from({ length: n }, (_, i) => MONDAY + i * HOUR);
    const y = Float64Array.from(b.y, (v, i) => v + 5 * Math.sin(i / 7) + (i % 97 === 0 ? 80 : 0));
    const weights = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 0 : i % 11 === 0 ? 0.3 : 1));
    const data = { y, how: b.how, temp: b.temp, weights, time };
    const knots = quantileKnots(b.temp, 6);
    const full = fitTowt(data, knots);
    const terms = towtTerms(data, knots);
    const design = towtDesign(terms, b.temp, time);
    const fast = fitTowtDesign(data, terms, design, full.occupied, undefined, slotGram(design, b.how));
    expect(fast.occupied).toEqual(full.occupied);
    for (let j = 0; j < full.beta.length; j++) expect(fast.beta[j]).toBeCloseTo(full.beta[j]!, 8);
    for (let h = 0; h < 192; h++) expect(fast.alpha[h]).toBeCloseTo(full.alpha[h]!, 8);
    expect(full.seasonal).toBe(true);
    for (let i = 0; i < n; i += 37)
      expect(predictDesign(full, b.how[i]!, design, i)).toBeCloseTo(predictTowt(full, b.how[i]!, b.temp[i]!, time[i]!), 9);
  });
});

describe('quantile knots by selection', () => {
  /** The knots as a sort finds them: element ⌊j/(count+1)·(n−1)⌋ of the sorted finite temperatures. */
  function sortedKnots(temps: Float64Array, count: number): number[] {
    const sorted = Float64Array.from(temps.filter(Number.isFinite)).sort();
    if (sorted.length < 2 * (count + 1) || count < 1) return [];
    const knots: number[] = [];
    for (let j = 1; j <= count; j++) {
      const v = sorted[Math.floor((j / (count + 1)) * (sorted.length - 1))]!;
      if (knots.length === 0 || v > knots[knots.length - 1]! + 1e-9) knots.push(v);
    }
    return knots;
  }

  it('are the sorted temperatures’ knots, the sign of a zero knot included', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const n = 14 + Math.floor(next() * 3000);
      // Few distinct values, so knots repeat and zeros (−0 and +0) are often a knot; missing and infinite readings.
      const temps = Float64Array.from({ length: n }, () => {
        const r = next();
        if (r < 0.05) return NaN;
        if (r < 0.07) return r < 0.06 ? Infinity : -Infinity;
        if (r < 0.3) return r < 0.2 ? -0 : 0;
        return Math.round((next() - 0.5) * 20) / 2;
      });
      const count = 1 + Math.floor(next() * 8);
      const got = quantileKnots(temps, count);
      const want = sortedKnots(temps, count);
      expect(got).toEqual(want);
      got.forEach((v, j) => expect(Object.is(v, -0)).toBe(Object.is(want[j], -0)));
    }
    expect(quantileKnots(Float64Array.from([1, 2, 3]), 6)).toEqual([]);
    expect(
      quantileKnots(
        Float64Array.from({ length: 15 }, (_, i) => 14 - i),
        6,
      ),
    ).toEqual([2, 4, 6, 8, 10, 12]);
  });
});

describe('the fit’s right-hand sides, summed in locals for the usual widths', () => {
  /** Rows of random designs, targets and Huber-like weights (0, fractions, 1), and 0/1 occupancy per slot. */
  function draw(n: number, m: number, seed: number) {
    let s = seed;
    const next = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const v = Float64Array.from({ length: n * m }, () => (next() - 0.5) * 40);
    const ys = Float64Array.from({ length: n }, () => next() * 100);
    const weights = Float64Array.from({ length: n }, () => {
      const r = next();
      return r < 0.1 ? 0 : r < 0.3 ? next() : 1;
    });
    const slots = Int32Array.from({ length: n }, () => Math.floor(next() * 192));
    const occ = Uint8Array.from({ length: 192 }, () => (next() < 0.6 ? 1 : 0));
    return { v, ys, weights, slots, occ };
  }

  it('rH and rT are the per-row loop’s, for every width and without weights', () => {
    // Short runs too: with few terms per sum, a term rounded differently shows in the sum's last bits.
    for (let trial = 0; trial < 3000; trial++) {
      const m = trial % 11;
      const unweighted = trial % 7 === 0;
      {
        const { v, ys, weights, slots, occ } = draw(trial < 22 ? 3000 : 12, m, 7 + trial);
        const w = unweighted ? null : weights;
        const rH = new Float64Array(192);
        const rT = new Float64Array(2 * m);
        addRightHandSides(w, ys, slots, occ, v, m, rH, rT);
        const wantH = new Float64Array(192);
        const wantT = new Float64Array(2 * m);
        for (let i = 0; i < ys.length; i++) {
          const wi = w ? w[i]! : 1;
          if (wi === 0) continue;
          const h = slots[i]!;
          const off = occ[h] ? 0 : m;
          wantH[h]! += wi * ys[i]!;
          for (let j = 0; j < m; j++) wantT[off + j]! += wi * v[i * m + j]! * ys[i]!;
        }
        expect(rH).toEqual(wantH);
        expect(rT).toEqual(wantT);
        // Not vacuous: every block sum is a finite number.
        expect(rT.every(Number.isFinite)).toBe(true);
      }
    }
  });

  it('occupied hours’ Xᵀy is the per-row loop’s, for every number of temperature columns', () => {
    for (let trial = 0; trial < 300; trial++) {
      const mt = trial % 9;
      const width = mt + 2;
      const { v, ys, weights } = draw(trial < 18 ? 3000 : 12, width, 31 + trial);
      const w = weights.map((x) => (x === 0 ? 0 : 1));
      const xty = new Float64Array(mt + 1);
      addTemperatureRightHandSide(w, ys, v, width, mt, xty);
      const want = new Float64Array(mt + 1);
      for (let i = 0; i < ys.length; i++) {
        if (w[i] === 0) continue;
        want[0]! += 1 * ys[i]!;
        for (let a = 1; a <= mt; a++) want[a]! += v[i * width + a - 1]! * ys[i]!;
      }
      expect(xty).toEqual(want);
    }
  });
});
