import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { fitContextual, scoreContextual } from '../../../../src-main/core/model/contextual/detector';
import type { ContextualInput } from '../../../../src-main/core/model/contextual/types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY = Date.UTC(2025, 0, 6);
const names = { meters: ['total_kw'], stuckCandidates: ['outdoor_temp_c'], temperature: 'outdoor_temp_c' };

/**
 * One building whose load is known exactly: a daily shape plus a V-shaped
 * temperature response, with 1 % seeded noise. `closed(day)` days run at the
 * night level all day (holidays); a 24/7 building has none.
 */
function building(days: number, seed: number, start: number, closed: (day: number) => boolean = () => false) {
  const rng = createRng(seed);
  const n = days * 24;
  const time = new Float64Array(n);
  const temp = new Float64Array(n);
  const total = new Float64Array(n);
  const expected = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    const t = start + h * HOUR;
    const hod = new Date(t).getUTCHours();
    const day = Math.floor(h / 24);
    const outdoor = 14 + 8 * Math.sin((2 * Math.PI * h) / 24 / 9) + 3 * Math.cos((2 * Math.PI * (hod - 15)) / 24);
    time[h] = t;
    temp[h] = Math.round(outdoor * 100) / 100;
    const shape = closed(day) ? 45 : 60 + 15 * Math.sin((2 * Math.PI * (hod - 9)) / 24);
    expected[h] = shape + 1.5 * Math.max(0, 12 - outdoor) + 2 * Math.max(0, outdoor - 20);
    total[h] = expected[h]! * (1 + 0.01 * rng.normal());
  }
  const input: ContextualInput = { time, groups: null, temperature: temp, meters: [total], stuckColumns: [temp] };
  return { input, expected };
}

function count(flags: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c += flags[i]!;
  return c;
}

describe('day typing', () => {
  it('in a 24/7 building (no closed days), a day-long spike is flagged in training and in scoring, and the baseline stays the true load', () => {
    const { input: train, expected } = building(70, 1, MONDAY);
    const spike = 30; // a Wednesday
    for (let h = spike * 24; h < spike * 24 + 24; h++) train.meters[0]![h]! *= 3;
    const fit = fitContextual(train, names);
    expect(count(fit.training.flags, spike * 24, spike * 24 + 24)).toBe(24);
    // The spike day's expected load is the building's true load, not the spike.
    for (let h = spike * 24; h < spike * 24 + 24; h++) expect(fit.training.expected[0]![h]! / expected[h]!).toBeCloseTo(1, 1);
    // Outside the spike and the day after it (whose trailing 24-h mean still holds the spike), training stays quiet.
    expect(count(fit.training.flags, 0, train.time.length) - count(fit.training.flags, spike * 24, spike * 24 + 48)).toBeLessThan(5);

    const { input: test } = building(14, 2, MONDAY + 70 * DAY);
    const day2 = 2;
    for (let h = day2 * 24; h < day2 * 24 + 24; h++) test.meters[0]![h]! *= 3;
    const s = scoreContextual(fit.model, test);
    expect(count(s.flags, day2 * 24, day2 * 24 + 24)).toBe(24);
    expect(count(s.flags, 0, test.time.length) - count(s.flags, day2 * 24, day2 * 24 + 48)).toBeLessThan(5);
  });

  it('holidays that recur are still typed as closed days: a closed weekday is not flagged, and its baseline is the closed level', () => {
    // Closed at weekends, and on five holiday Mondays of ten weeks and one in the scored fortnight.
    const holiday = (day: number) => day % 7 >= 5 || day % 14 === 0 || day === 70 + 7;
    const { input: train, expected } = building(70, 3, MONDAY, holiday);
    const fit = fitContextual(train, names);
    for (let h = 14 * 24 + 10; h < 14 * 24 + 16; h++) expect(fit.training.expected[0]![h]! / expected[h]!).toBeCloseTo(1, 1);
    expect(count(fit.training.flags, 0, train.time.length)).toBeLessThan(10);
    const { input: test, expected: truth } = building(14, 4, MONDAY + 70 * DAY, (d) => holiday(d + 70));
    const s = scoreContextual(fit.model, test);
    expect(count(s.flags, 0, test.time.length)).toBeLessThan(6);
    for (let h = 7 * 24 + 10; h < 7 * 24 + 16; h++) expect(s.expected[0]![h]! / truth[h]!).toBeCloseTo(1, 1);
  });
});
