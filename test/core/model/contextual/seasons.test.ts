import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { fitContextual, scoreContextual } from '../../../../src-main/core/model/contextual/detector';
import { loadRatio, temperaturePart } from '../../../../src-main/core/model/contextual/load-scale';
import type { TowtModel } from '../../../../src-main/core/model/contextual/towt';
import type { ContextualInput } from '../../../../src-main/core/model/contextual/types';

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2025, 0, 6);
const names = { meters: ['hvac_kw'], stuckCandidates: [], temperature: 'outdoor_temp_c' };

/** One building's input of n hourly readings (one meter, with temperature), to be filled in. */
function hours(n: number): ContextualInput {
  return { time: new Float64Array(n), groups: null, temperature: new Float64Array(n), meters: [new Float64Array(n)], stuckColumns: [] };
}

/**
 * A school whose load is known: 20 kW, +40 kW on term weekdays 8–16 h; heating 3 kW per degree below 15 °C
 * while open, 0.5 kW per degree when closed; 3 % multiplicative noise. `term(week)` says which weeks are term.
 */
function school(fromDay: number, days: number, seed: number, temp: (h: number) => number, term: (week: number) => boolean) {
  const rng = createRng(seed);
  const n = days * 24;
  const input = hours(n);
  const truth = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const h = fromDay * 24 + k;
    const day = Math.floor(h / 24);
    const hod = h % 24;
    const open = day % 7 < 5 && term(Math.floor(day / 7)) && hod >= 8 && hod < 16;
    const t = temp(h);
    truth[k] = 20 + (open ? 40 : 0) + (open ? 3 : 0.5) * Math.max(0, 15 - t);
    input.time[k] = MONDAY + h * HOUR;
    input.temperature![k] = t;
    input.meters[0]![k] = truth[k]! * (1 + 0.03 * rng.normal());
  }
  return { input, truth };
}

/** 3–17 °C: swings of a few days and a daily cycle. */
const mild = (h: number): number => 10 + 5 * Math.sin((2 * Math.PI * h) / (24 * 5)) + 2 * Math.sin((2 * Math.PI * ((h % 24) - 9)) / 24);

describe('a school trained across a long holiday', () => {
  it('keeps its occupied heating slope: weekday hours are judged occupied on term days, not with the holiday among them', () => {
    // 14 weeks, weeks 4–9 a holiday: weekday 10:00 is open in 8 weeks of 14 (57 %), under LBNL's 65 %.
    const holiday = (w: number) => w < 4 || w > 9;
    const { input } = school(0, 98, 1, mild, holiday);
    const { model } = fitContextual(input, names);
    // A cool term week after it (6–12 °C, inside the training range): the expected load follows the true one, and nothing is flagged.
    // Before, weekday hours were judged unoccupied (they got the closed hours' heating slope): cold mornings 13 kW short, flagged.
    const cool = (h: number) => 9 + 3 * Math.sin((2 * Math.PI * h) / (24 * 3));
    const { input: week, truth } = school(98, 7, 2, cool, () => true);
    const s = scoreContextual(model, week);
    let worst = 0;
    for (let k = 0; k < truth.length; k++) worst = Math.max(worst, Math.abs(s.expected[0]![k]! - truth[k]!) / truth[k]!);
    expect(worst).toBeLessThan(0.1);
    expect(s.flags.reduce((a, f) => a + f, 0)).toBe(0);
  });
});

describe('spreads that grow with the weather-driven load', () => {
  // One segment below 10 °C (slope −2 per degree while occupied, −1 otherwise), flat above; fill temperature 14 °C.
  const towt: TowtModel = {
    knots: [10],
    occupied: [1, 0],
    alpha: [50, 10],
    beta: [-2, 0, -1, 0],
    fillTemp: 14,
    seasonal: false,
  };

  it('the temperature part and the ratio of the expected load to the slot’s typical one (known answers)', () => {
    expect(temperaturePart(towt, 0, 0)).toBe(20);
    expect(temperaturePart(towt, 1, 0)).toBe(10);
    expect(temperaturePart(towt, 0, 14)).toBe(0);
    // Occupied at 0 °C: expected 70 against 50 at 14 °C; unoccupied 20 against 10.
    expect(loadRatio(towt, 1, 0, 0, 70)).toBeCloseTo(1.4, 12);
    expect(loadRatio(towt, 1, 1, 0, 20)).toBeCloseTo(2, 12);
    // The fleet's baseline at a building's level 3: the temperature part scales with it too.
    expect(loadRatio(towt, 3, 1, 0, 60)).toBeCloseTo(2, 12);
    // Taken at another load (beyond the training range, the interval's top): that load over the slot's typical one.
    expect(loadRatio(towt, 1, 0, 0, 70, 100)).toBeCloseTo(2, 12);
    expect(loadRatio(towt, 1, 0, 0, 70, 40)).toBe(1);
    // Never below 1: warmer than typical, a missing temperature, no temperature terms.
    expect(loadRatio(towt, 1, 0, 20, 50)).toBe(1);
    expect(loadRatio(towt, 1, 0, NaN, 70)).toBe(1);
    expect(loadRatio({ ...towt, knots: [], beta: [] }, 1, 0, 0, 70)).toBe(1);
  });

  it('a building trained mostly in mild weather does not flag ordinary cold nights, but flags a doubled load on them', () => {
    // 20 kW, +40 kW open on weekdays 8–18 h, heating 4 kW per degree below 15 °C, 5 % multiplicative noise (a meter's noise
    // is relative to its load). Trained on 5 cold days (2–6 °C), then 51 mild ones (16–24 °C): the spreads are the mild nights'.
    const plant = (fromDay: number, days: number, seed: number, temp: (h: number) => number, extra: (k: number, y: number) => number) => {
      const rng = createRng(seed);
      const n = days * 24;
      const input = hours(n);
      for (let k = 0; k < n; k++) {
        const h = fromDay * 24 + k;
        const day = Math.floor(h / 24);
        const open = day % 7 < 5 && h % 24 >= 8 && h % 24 < 18;
        const t = temp(h);
        const y = (20 + (open ? 40 : 0) + 4 * Math.max(0, 15 - t)) * (1 + 0.05 * rng.normal());
        input.time[k] = MONDAY + h * HOUR;
        input.temperature![k] = t;
        input.meters[0]![k] = y + extra(k, y);
      }
      return input;
    };
    const daily = (h: number) => 2 * Math.sin((2 * Math.PI * ((h % 24) - 9)) / 24);
    const trainTemp = (h: number) => (h < 5 * 24 ? 4 : 20 + 2 * Math.sin((2 * Math.PI * h) / (24 * 4))) + daily(h);
    const { model } = fitContextual(
      plant(0, 56, 3, trainTemp, () => 0),
      names,
    );
    const coldTemp = (h: number) => 4 + daily(h);
    const week = plant(56, 7, 4, coldTemp, () => 0);
    expect(scoreContextual(model, week).flags.reduce((a, f) => a + f, 0)).toBe(0);
    // Tuesday night 0–6 h: the heating draws twice its load (a valve stuck open).
    const from = 24;
    const faulty = plant(56, 7, 4, coldTemp, (k, y) => (k >= from && k < from + 6 ? y : 0));
    const s = scoreContextual(model, faulty);
    expect(s.flags.subarray(from, from + 6).reduce((a, f) => a + f, 0)).toBe(6);
  });
});
