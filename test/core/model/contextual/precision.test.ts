import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { fitContextual, scoreContextual } from '../../../../src-main/core/model/contextual/detector';
import type { ContextualInput } from '../../../../src-main/core/model/contextual/types';

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2025, 0, 6);
const names = { meters: ['hvac_kw'], stuckCandidates: [], temperature: 'outdoor_temp_c' };

/** One building: an office schedule, a V-shaped temperature response and 2 % AR(1) noise, as real meters wobble. */
function building(hours: number, seed: number, start = MONDAY): ContextualInput {
  const rng = createRng(seed);
  const time = new Float64Array(hours);
  const temp = new Float64Array(hours);
  const hvac = new Float64Array(hours);
  let wobble = 0;
  for (let h = 0; h < hours; h++) {
    const t = start + h * HOUR;
    const hod = new Date(t).getUTCHours();
    const dow = new Date(t).getUTCDay();
    const open = dow >= 1 && dow <= 5 && hod >= 8 && hod < 18;
    const outdoor = 14 + 8 * Math.sin((2 * Math.PI * h) / 24 / 9) + 3 * Math.cos((2 * Math.PI * (hod - 15)) / 24);
    wobble = 0.7 * wobble + 0.02 * rng.normal();
    time[h] = t;
    temp[h] = outdoor;
    hvac[h] = ((open ? 10 : 3) + 1.5 * Math.max(0, 12 - outdoor) + 2 * Math.max(0, outdoor - 20)) * (1 + wobble);
  }
  return { time, groups: null, temperature: temp, meters: [hvac], stuckColumns: [] };
}

describe('contextual detector: what a flag needs', () => {
  const { model } = fitContextual(building(10 * 168, 1), names);

  it('does not flag ordinary readings after a short, large fault has ended', () => {
    const test = building(2 * 168, 2, MONDAY + 10 * 168 * HOUR);
    // Tuesday 01:00–06:59: HVAC left running at 4× its night load, then back to normal.
    for (let h = 24 + 1; h < 24 + 7; h++) test.meters[0]![h]! *= 4;
    const s = scoreContextual(model, test);
    for (let h = 24 + 1; h < 24 + 7; h++) expect(s.flags[h]).toBe(1);
    // The trailing day's mean still holds the fault, but these readings do not share its excess.
    let after = 0;
    for (let h = 24 + 7; h < 24 + 31; h++) after += s.flags[h]!;
    expect(after).toBe(0);
  });

  it('still flags a slow creep whose readings each run high', () => {
    const test = building(2 * 168, 3, MONDAY + 10 * 168 * HOUR);
    // From Tuesday 00:00, three days rising from +25 % to +40 %: each reading a few spreads high.
    const start = 24;
    const span = 72;
    for (let h = start; h < start + span; h++) test.meters[0]![h]! *= 1.25 + (0.15 * (h - start)) / span;
    const s = scoreContextual(model, test);
    let caught = 0;
    for (let h = start; h < start + span; h++) caught += s.flags[h]!;
    expect(caught / span).toBeGreaterThan(0.6);
  });
});
