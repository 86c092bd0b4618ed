import { describe, expect, it } from 'vitest';
import { fitContextual, scoreContextual } from '../../../../src-main/core/model/contextual/detector';
import { contextualArtifactToJson, loadContextualArtifact } from '../../../../src-main/core/model/contextual/serialize';
import { hourOfWeek, predictTowt } from '../../../../src-main/core/model/contextual/towt';
import type { ContextualInput, ContextualModel } from '../../../../src-main/core/model/contextual/types';
import { spreadIndex } from '../../../../src-main/core/model/contextual/baseline';
import { loadRatio } from '../../../../src-main/core/model/contextual/load-scale';
import {
  beyond,
  blockSupports,
  clampToSupport,
  extrapolationOf,
  intervalTop,
  outsideInterval,
  steepestSlope,
  supportOf,
  temperatureSupport,
} from '../../../../src-main/core/model/contextual/unseen';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 6); // a Monday

/** Deterministic noise in [−1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

/**
 * One office: 40 kW base, +30 kW on weekdays 8–18 h (every day 8–18 h with `openDays` 7), heating 3 kW per degree
 * below 15 °C, cooling 2.5 kW per degree above 20 °C (above `setback` °C while closed), noise ±1.5 kW;
 * `temp(h)` the outdoor temperature of hour h.
 */
function office(
  fromHour: number,
  hours: number,
  temp: (h: number) => number,
  seed: number,
  extra: (h: number) => number = () => 0,
  { setback, openDays }: { setback: number; openDays: number } = { setback: 20, openDays: 5 },
) {
  const rnd = noise(seed);
  const time = new Float64Array(hours);
  const t = new Float64Array(hours);
  const y = new Float64Array(hours);
  for (let k = 0; k < hours; k++) {
    const h = fromHour + k;
    time[k] = START + h * HOUR;
    const day = Math.floor(h / 24);
    const hod = h % 24;
    const open = day % 7 < openDays && hod >= 8 && hod < 18;
    t[k] = temp(h);
    y[k] = 40 + (open ? 30 : 0) + 3 * Math.max(0, 15 - t[k]!) + 2.5 * Math.max(0, t[k]! - (open ? 20 : setback)) + 1.5 * rnd() + extra(h);
  }
  const input: ContextualInput = { time, groups: null, temperature: t, meters: [y], stuckColumns: [] };
  return input;
}

/** Winter: 0–18 °C (weather swings of days plus a daily cycle), never warmer. */
const winter = (h: number): number => 9 + 7 * Math.sin((2 * Math.PI * h) / (24 * 9)) + 2 * Math.sin((2 * Math.PI * (h % 24)) / 24);
/** A summer week: 22–28 °C. */
const summer = (h: number): number => 25 + 3 * Math.sin((2 * Math.PI * ((h % 24) - 9)) / 24);
const names = { meters: ['hvac_kw'], stuckCandidates: [], temperature: 'outdoor_temp_c' };
const SUMMER_FROM = 180 * 24;

function trainedInWinter(): ContextualModel {
  return fitContextual(office(0, 60 * 24, winter, 1), names).model;
}

const withoutSupport = (m: ContextualModel): ContextualModel => ({
  ...m,
  buildings: m.buildings.map(({ support: _support, blockSupport: _blocks, ...b }) => b),
});
const withoutBlocks = (m: ContextualModel): ContextualModel => ({
  ...m,
  buildings: m.buildings.map(({ blockSupport: _blocks, ...b }) => b),
});

const count = (flags: Uint8Array, from = 0, to = flags.length): number => flags.subarray(from, to).reduce((a, f) => a + f, 0);

describe('contextual detector at temperatures it was not trained on', () => {
  it('records the training temperatures of each building (without the 48 coldest and warmest readings)', () => {
    const m = trainedInWinter();
    const temps = Array.from({ length: 60 * 24 }, (_, h) => winter(h)).sort((a, b) => a - b);
    expect(m.buildings[0]!.support).toEqual({ lo: temps[47], hi: temps[temps.length - 48] });
    expect(temps[47]).toBeLessThan(1.5);
    expect(temps[temps.length - 48]).toBeGreaterThan(16.5);
  });

  it('does not flag a summer week of ordinary cooling load for a building trained only in winter, but flags a fault there', () => {
    const model = trainedInWinter();
    // Weekday 14:00 of the summer week's Wednesday: 12 hours of HVAC drawing 80 kW more (a stuck damper, a doubled chiller).
    const faultFrom = SUMMER_FROM + 2 * 24 + 10;
    const fault = (h: number): number => (h >= faultFrom && h < faultFrom + 12 ? 80 : 0);
    const normal = office(SUMMER_FROM, 7 * 24, summer, 2);
    const faulty = office(SUMMER_FROM, 7 * 24, summer, 2, fault);
    // Before: the winter baseline's segments continued into summer flag most of the week.
    expect(count(scoreContextual(withoutSupport(model), normal).flags)).toBeGreaterThan(40);
    // Now: ordinary cooling is within what the model can tell at 22–28 °C.
    expect(count(scoreContextual(model, normal).flags)).toBe(0);
    const scored = scoreContextual(model, faulty);
    const at = faultFrom - SUMMER_FROM;
    expect(count(scored.flags, at, at + 12)).toBe(12);
    expect(count(scored.flags) - count(scored.flags, at, at + 12)).toBe(0);
  });

  it('scores readings inside the training range of their block exactly as before', () => {
    const model = trainedInWinter();
    const towt = model.buildings[0]!.meters![0]!.towt;
    // A later winter week with a 6-hour fault: every reading inside the range has the residual it had without one.
    const week = office(70 * 24, 7 * 24, winter, 3, (h) => (h >= 72 * 24 + 9 && h < 72 * 24 + 15 ? 60 : 0));
    const now = scoreContextual(model, week);
    const before = scoreContextual(withoutSupport(model), week);
    let inside = 0;
    const x = { support: model.buildings[0]!.support!, slope: [], fleet: null, blocks: model.buildings[0]!.blockSupport! };
    for (let k = 0; k < week.time.length; k++) {
      // This office has no closed weekdays: a reading's slot is its hour of the week.
      const occupied = towt.occupied[hourOfWeek(week.time[k]!)] === 1;
      if (beyond(supportOf(x, 0, occupied), week.temperature![k]!) > 0) continue;
      inside++;
      expect(now.z[0]![k]).toBe(before.z[0]![k]);
    }
    expect(inside).toBeGreaterThan(150);
    expect(count(now.flags, 2 * 24 + 9, 2 * 24 + 15)).toBe(6);
  });

  it('judges a reading against the temperatures its own block (open or closed hours) was trained on', () => {
    // A shop open 8–18 h every day, 10 °C warmer by day than by night. Spring: a daily mean rising from 4 to 20 °C over
    // 60 days, so nights reach 15 °C and opening hours 25 °C. Closed, it cools only above 16 °C (a night setback), which
    // these nights never reach: the closed hours' baseline has no cooling in it, although the building's range reaches past 23 °C.
    const shop = { setback: 16, openDays: 7 };
    const dayNight = (mean: (h: number) => number) => (h: number) => mean(h) + (h % 24 >= 8 && h % 24 < 18 ? 5 : -5);
    const spring = dayNight((h) => 4 + (16 * Math.floor(h / 24)) / 60);
    const model = fitContextual(
      office(0, 60 * 24, spring, 4, () => 0, shop),
      names,
    ).model;
    const b = model.buildings[0]!;
    const blocks = b.blockSupport![0]!;
    expect(blocks.unoccupied!.hi).toBeLessThanOrEqual(15);
    expect(b.support!.hi).toBeGreaterThan(23);
    expect(blocks.occupied!.hi).toBeGreaterThan(23);
    // A warm week: daily means 24–28 °C, nights 19–23 °C — inside the building's range, beyond the closed block's — so
    // the closed hours cool (7.5–17.5 kW); by day 29–33 °C, beyond both.
    const warm = dayNight((h) => 26 + 2 * Math.sin(Math.floor(h / 24)));
    const faultFrom = SUMMER_FROM + 24 + 1; // 01:00 on the second day: 6 closed hours drawing 40 kW more
    const normal = office(SUMMER_FROM, 7 * 24, warm, 5, () => 0, shop);
    const faulty = office(SUMMER_FROM, 7 * 24, warm, 5, (h) => (h >= faultFrom && h < faultFrom + 6 ? 40 : 0), shop);
    // Judged by the building's range alone, the closed hours' cooling reads as faults.
    expect(count(scoreContextual(withoutBlocks(model), normal).flags)).toBeGreaterThan(40);
    expect(count(scoreContextual(model, normal).flags)).toBe(0);
    const scored = scoreContextual(model, faulty);
    const at = faultFrom - SUMMER_FROM;
    expect(count(scored.flags, at, at + 6)).toBe(6);
    expect(count(scored.flags)).toBe(6);
    // The block ranges travel through the model file; a file without them scores by the building's range.
    const file = contextualArtifactToJson({ kind: 'contextual', timeColumn: 'timestamp', idColumn: null, model });
    expect(loadContextualArtifact(JSON.parse(file)).model.buildings[0]!.blockSupport).toEqual(b.blockSupport);
    const old = loadContextualArtifact(JSON.parse(file.replace(/,"blockSupport":\[[^\]]*\]/, ''))).model;
    expect(old.buildings[0]!.blockSupport).toBeUndefined();
    expect(Array.from(scoreContextual(old, normal).flags)).toEqual(Array.from(scoreContextual(withoutBlocks(model), normal).flags));
    const bad = JSON.parse(file);
    bad.detector.buildings[0].blockSupport = [];
    expect(() => loadContextualArtifact(bad)).toThrow(
      'invalid model file: detector.buildings[0].blockSupport must hold one entry per meter (1)',
    );
  });

  it("beyond its range, a reading's spread is taken at the top of the interval: the most it may plausibly draw", () => {
    const model = trainedInWinter();
    const b = model.buildings[0]!;
    const mm = b.meters![0]!;
    const towt = mm.towt;
    const x = extrapolationOf(b.support, b.meters!, [1], model.fleet, b.levels, b.blockSupport ?? null)!;
    const week = office(SUMMER_FROM, 7 * 24, summer, 2);
    const s = scoreContextual(model, week);
    let wider = 0;
    for (let k = 0; k < week.time.length; k++) {
      // This office has no closed weekdays: a reading's slot is its hour of the week.
      const [time, t, y] = [week.time[k]!, week.temperature![k]!, week.meters[0]![k]!];
      const slot = hourOfWeek(time);
      const support = supportOf(x, 0, towt.occupied[slot] === 1);
      const d = beyond(support, t);
      expect(d).toBeGreaterThan(0);
      const at = clampToSupport(support, t);
      const edge = predictTowt(towt, slot, at, time);
      const fleet = x.fleet!.towt[0]!;
      const fleetGuess = edge + x.fleet!.level[0]! * (predictTowt(fleet, slot, t, time) - predictTowt(fleet, slot, at, time));
      const e = s.expected[0]![k]!;
      const band = x.slope[0]! * d;
      const spread = mm.spread[spreadIndex(towt, slot, mm.spread.length / 2)]!;
      const unit = spread * loadRatio(towt, 1, slot, t, e, intervalTop(e, edge, band, fleetGuess));
      expect(s.z[0]![k]).toBeCloseTo(outsideInterval(y, e, edge, band, fleetGuess) / unit, 9);
      // Wider than the spread at the expected load, where the reading's load is unknown.
      if (unit > spread * loadRatio(towt, 1, slot, t, e) * 1.01) wider++;
    }
    expect(wider).toBeGreaterThan(84);
  });

  it('keeps the range through the model file; a file written before (no range) loads and scores as before', () => {
    const model = trainedInWinter();
    const file = (m: ContextualModel) =>
      contextualArtifactToJson({ kind: 'contextual', timeColumn: 'timestamp', idColumn: null, model: m });
    const back = loadContextualArtifact(JSON.parse(file(model))).model;
    expect(back.buildings[0]!.support).toEqual(model.buildings[0]!.support);
    const old = loadContextualArtifact(JSON.parse(file(withoutSupport(model)))).model;
    expect(old.buildings[0]!.support).toBeUndefined();
    const normal = office(SUMMER_FROM, 7 * 24, summer, 2);
    expect(Array.from(scoreContextual(old, normal).flags)).toEqual(Array.from(scoreContextual(withoutSupport(model), normal).flags));
    const bad = JSON.parse(file(model));
    bad.detector.buildings[0].support = { lo: 5, hi: 1 };
    expect(() => loadContextualArtifact(bad)).toThrow(
      'invalid model file: detector.buildings[0].support.lo must not exceed detector.buildings[0].support.hi',
    );
  });
});

describe('unseen-temperature helpers', () => {
  it('support, distance beyond it, and the part of a reading outside the widened interval', () => {
    const temps = Float64Array.from({ length: 1001 }, (_, i) => i / 10); // 0.0 … 100.0
    temps[500] = NaN;
    // 1,000 finite values: the 48 coldest and 48 warmest are left out (more than the 0.1 % tails).
    const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
    expect(temperatureSupport(temps, all(1001))).toEqual({ lo: 4.7, hi: 95.3 });
    // 100,001 values: the 0.1 % tails are more than 48 readings.
    expect(temperatureSupport(Float64Array.from(all(100_001)), all(100_001))).toEqual({ lo: 100, hi: 99_900 });
    expect(temperatureSupport(null, new Int32Array([0]))).toBeNull();
    const support = { lo: 0, hi: 10 };
    expect(beyond(support, 13)).toBe(3);
    expect(beyond(support, -2)).toBe(2);
    expect(beyond(support, 5)).toBe(0);
    expect(beyond(support, NaN)).toBe(0);
    // Extrapolation 20, edge value 30, band 6: [14, 36].
    expect(outsideInterval(40, 20, 30, 6)).toBe(4);
    expect(outsideInterval(10, 20, 30, 6)).toBe(-4);
    expect(outsideInterval(25, 20, 30, 6)).toBe(0);
    // A third guess (the fleet's response from the edge) widens the interval only where it lies outside the two: [14, 46].
    expect(outsideInterval(40, 20, 30, 6, 40)).toBe(0);
    expect(outsideInterval(50, 20, 30, 6, 40)).toBe(4);
    expect(outsideInterval(10, 20, 30, 6, 25)).toBe(-4);
    // The interval's top: the highest guess plus the band.
    expect(intervalTop(20, 30, 6)).toBe(36);
    expect(intervalTop(20, 30, 6, 40)).toBe(46);
  });

  it("block supports: each meter's occupied and unoccupied readings apart; a block without readings falls back to the building's", () => {
    const temps = Float64Array.from({ length: 400 }, (_, i) => i / 4); // 0 … 99.75
    const rows = Int32Array.from({ length: 400 }, (_, i) => i);
    // Slot 0 occupied, slot 1 not: rows 0–199 in slot 0, 200–399 in slot 1.
    const slot = Int32Array.from(rows, (i) => (i < 200 ? 0 : 1));
    const towt = (occupied: number[]) => ({ knots: [], occupied, alpha: [], beta: [], fillTemp: 0, seasonal: false });
    const [split, allOccupied] = blockSupports(temps, rows, slot, [{ towt: towt([1, 0]) }, { towt: towt([1, 1]) }])!;
    // 200 readings a block: each range from its 48th coldest to its 48th warmest reading.
    expect(split).toEqual({ occupied: { lo: 11.75, hi: 38 }, unoccupied: { lo: 61.75, hi: 88 } });
    expect(allOccupied).toEqual({ occupied: temperatureSupport(temps, rows), unoccupied: null });
    expect(blockSupports(null, rows, slot, [{ towt: towt([1, 0]) }])).toBeNull();
    const x = { support: { lo: -5, hi: 105 }, slope: [0, 0], fleet: null, blocks: [split!, allOccupied!] };
    expect(supportOf(x, 0, false)).toEqual({ lo: 61.75, hi: 88 });
    expect(supportOf(x, 1, false)).toEqual({ lo: -5, hi: 105 });
    expect(supportOf({ ...x, blocks: null }, 0, true)).toEqual({ lo: -5, hi: 105 });
  });

  it('the steepest slope is the largest |β| of the temperature segments, occupied and unoccupied, not the yearly terms', () => {
    const towt = {
      knots: [5, 15],
      occupied: [],
      alpha: [],
      // Occupied: 3 segments + sin, cos; then unoccupied.
      beta: [-1, -2.5, 0.5, 9, 9, -0.5, 0, 2, -9, 9],
      fillTemp: 10,
      seasonal: true,
    };
    expect(steepestSlope(towt)).toBe(2.5);
    expect(steepestSlope({ ...towt, knots: [], beta: [9, 9, 9, 9], seasonal: true })).toBe(0);
  });
});
