import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { loadAnyArtifact } from '../../../../src-main/core/model/any-artifact';
import { spreadIndex } from '../../../../src-main/core/model/contextual/baseline';
import { fitContextual, scoreContextual } from '../../../../src-main/core/model/contextual/detector';
import { loadRatio } from '../../../../src-main/core/model/contextual/load-scale';
import { contextualArtifactToJson } from '../../../../src-main/core/model/contextual/serialize';
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

  it('does not flag ordinary readings after a large fault has ended', () => {
    const test = building(2 * 168, 2, MONDAY + 10 * 168 * HOUR);
    // Tuesday 00:00–11:59: HVAC running at 4× its load, then back to normal.
    for (let h = 24; h < 24 + 12; h++) test.meters[0]![h]! *= 4;
    const s = scoreContextual(model, test);
    for (let h = 24; h < 24 + 12; h++) expect(s.flags[h]).toBe(1);
    // The trailing day's mean still holds the fault for a day; a reading after it is flagged only when it
    // runs high itself (the meter's AR noise does, now and then, by 2 spreads or more), never when ordinary.
    const ordinaryFlagged: number[] = [];
    for (let h = 24 + 12; h < 24 + 36; h++) if (s.flags[h] && s.z[0]![h]! < 2) ordinaryFlagged.push(h);
    expect(ordinaryFlagged).toEqual([]);
    // The return to normal is a large residual change, but not a jump the reading carries.
    expect(s.rule[24 + 12]).toBe(0);
    expect(s.flags[24 + 12]).toBe(0);
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

  it('scales each hour of the day by its own spread: a closing hour that varies from day to day is not flagged for it', () => {
    // Lights: steady 9:00–16:59 (1 % noise); at 17:00 and 18:00 people leave at different times (±25 %).
    const lights = (weeks: number, seed: number, start: number): ContextualInput => {
      const rng = createRng(seed);
      const hours = weeks * 168;
      const time = new Float64Array(hours);
      const y = new Float64Array(hours);
      const temp = new Float64Array(hours);
      for (let h = 0; h < hours; h++) {
        const t = start + h * HOUR;
        const hod = new Date(t).getUTCHours();
        const dow = new Date(t).getUTCDay();
        const workday = dow >= 1 && dow <= 5;
        const base = !workday || hod < 8 || hod >= 19 ? 2 : hod >= 17 ? 12 * (1 + 0.25 * (2 * rng.next() - 1)) : 20;
        time[h] = t;
        y[h] = base * (1 + 0.01 * rng.normal());
        // Weather the lights ignore; it lets the occupied hours be told apart (LBNL's rule).
        temp[h] = 12 + 6 * Math.sin((2 * Math.PI * h) / 24 / 5) + 3 * Math.cos((2 * Math.PI * (hod - 15)) / 24);
      }
      return { time, groups: null, temperature: temp, meters: [y], stuckColumns: [] };
    };
    const lightNames = { meters: ['lighting_kw'], stuckCandidates: [], temperature: 'outdoor_temp_c' };
    const { model: m } = fitContextual(lights(10, 4, MONDAY), lightNames);
    const meter = m.buildings[0]!.meters![0]!;
    expect(meter.spread).toHaveLength(48);
    const tuesday = (hod: number): number => spreadIndex(meter.towt, 24 + hod);
    expect(meter.towt.occupied[24 + 15]).toBe(1);
    // The 17:00 hour's spread (±25 % of 12 kW) is far wider than 15:00's (1 % of 20 kW).
    expect(meter.spread[tuesday(17)]!).toBeGreaterThan(5 * meter.spread[tuesday(15)]!);
    const test = lights(4, 5, MONDAY + 10 * 168 * HOUR);
    const s = scoreContextual(m, test);
    let flagged = 0;
    for (const f of s.flags) flagged += f;
    expect(flagged).toBe(0);
    // A steady hour 30 % high is still flagged.
    test.meters[0]![24 + 14]! *= 1.3;
    expect(scoreContextual(m, test).flags[24 + 14]).toBe(1);
  });

  it('reads model files with 4-hour-band spreads (written before) by band', () => {
    const { model: m } = fitContextual(building(6 * 168, 6), names);
    const meter = m.buildings[0]!.meters![0]!;
    // An old file: 6 bands × occupied/unoccupied, each band's spread doubled so the scores must change.
    const old = Array.from({ length: 12 }, (_, j) => 2 * meter.spread[(j % 6) * 4 + (j >= 6 ? 24 : 0)]!);
    expect(spreadIndex(meter.towt, 24 + 13, 6)).toBe(3 + (meter.towt.occupied[24 + 13] ? 6 : 0));
    // Files with band spreads predate the per-block temperature ranges too.
    const { blockSupport: _blocks, ...building0 } = m.buildings[0]!;
    const oldModel = { ...m, buildings: [{ ...building0, meters: [{ ...meter, spread: old }] }] };
    const json = contextualArtifactToJson({ kind: 'contextual', timeColumn: 'timestamp', idColumn: null, model: oldModel });
    const loaded = loadAnyArtifact(json);
    if (loaded.kind !== 'contextual') throw new Error('expected a contextual artifact');
    const test = building(168, 7, MONDAY + 6 * 168 * HOUR);
    const z = scoreContextual(loaded.model, test).z[0]!;
    const expected = scoreContextual(m, test).expected[0]!;
    for (const h of [3, 30, 37, 100]) {
      const slot = spreadIndex(meter.towt, h, 6);
      // The band's spread, grown with the weather-driven load as every spread is (load-scale.ts).
      const grown = old[slot]! * loadRatio(meter.towt, 1, h, test.temperature![h]!, expected[h]!);
      expect(z[h]).toBeCloseTo((test.meters[0]![h]! - expected[h]!) / grown, 9);
    }
    expect(() => loadAnyArtifact(json.replace(JSON.stringify(old), JSON.stringify(old.slice(1))))).toThrow(
      'spread has 11 entries, expected 48',
    );
  });
});
