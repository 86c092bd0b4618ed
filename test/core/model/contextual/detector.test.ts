import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { loadAnyArtifact } from '../../../../src-main/core/model/any-artifact';
import { modelArtifactToJson, fitIsolationForest } from '../../../../src-main/core/model';
import { causeOf } from '../../../../src-main/core/model/contextual/cause';
import { fitContextual, scoreContextual } from '../../../../src-main/core/model/contextual/detector';
import { contextualArtifactToJson } from '../../../../src-main/core/model/contextual/serialize';
import { MEMBERS, RULES, type ContextualInput } from '../../../../src-main/core/model/contextual/types';

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2025, 0, 6);
const meters = ['hvac_kw', 'total_kw'];
const names = { meters, stuckCandidates: ['outdoor_temp_c'], temperature: 'outdoor_temp_c' };

/** Buildings whose load is hour-of-week + V-shaped temperature response, with 1 % seeded noise. */
function fleet(buildings: number[], hours: number, seed: number, start = MONDAY): ContextualInput & { ids: string[] } {
  const rng = createRng(seed);
  const n = buildings.length * hours;
  const time = new Float64Array(n);
  const codes = new Int32Array(n);
  const temp = new Float64Array(n);
  const hvac = new Float64Array(n);
  const total = new Float64Array(n);
  for (let h = 0, i = 0; h < hours; h++) {
    const t = start + h * HOUR;
    const hod = new Date(t).getUTCHours();
    const dow = new Date(t).getUTCDay();
    const open = dow >= 1 && dow <= 5 && hod >= 8 && hod < 18;
    const outdoor = 14 + 8 * Math.sin((2 * Math.PI * h) / 24 / 9) + 3 * Math.cos((2 * Math.PI * (hod - 15)) / 24);
    for (const [b, size] of buildings.entries()) {
      time[i] = t;
      codes[i] = b;
      temp[i] = Math.round((outdoor + 0.1 * rng.normal()) * 100) / 100;
      hvac[i] = size * ((open ? 10 : 3) + 1.5 * Math.max(0, 12 - outdoor) + 2 * Math.max(0, outdoor - 20)) * (1 + 0.01 * rng.normal());
      total[i] = hvac[i]! + size * (open ? 30 : 8) * (1 + 0.01 * rng.normal());
      i++;
    }
  }
  const ids = buildings.map((_, b) => `B${b + 1}`);
  return { time, groups: { codes, dictionary: ids }, temperature: temp, meters: [hvac, total], stuckColumns: [temp], ids };
}

describe('contextual detector', () => {
  const train = fleet([1, 2.5], 10 * 168, 1);
  const { model, training } = fitContextual(train, names);

  it('learns each building: ordinary readings sit near zero residual and almost none is flagged', () => {
    expect(model.buildings.map((b) => [b.id, b.meters !== null])).toEqual([
      ['B1', true],
      ['B2', true],
    ]);
    let flagged = 0;
    for (const f of training.flags) flagged += f;
    expect(flagged / training.flags.length).toBeLessThan(0.005);
    // Expected total at Tuesday 10:00 in the bigger building is close to the truth (2.5 × (10 + 30) + weather).
    const z = training.z[1]!;
    let big = 0;
    for (let i = 0; i < z.length; i++) if (Math.abs(z[i]!) > 6) big++;
    expect(big).toBeLessThan(10);
  });

  it('flags injected faults with the member and feature that show them', () => {
    const test = fleet([1, 2.5], 2 * 168, 2, MONDAY + 10 * 168 * HOUR);
    const row = (h: number, b: number): number => h * 2 + b;
    // HVAC ×2.2 on Tuesday 14:00 in B2.
    const hv = row(24 + 14, 1);
    test.meters[1]![hv]! += 1.2 * test.meters[0]![hv]!;
    test.meters[0]![hv]! *= 2.2;
    // B1's thermometer stuck for 8 hours from Wednesday 02:00.
    for (let h = 48 + 2; h < 48 + 10; h++) test.stuckColumns[0]![row(h, 0)] = test.stuckColumns[0]![row(48 + 2, 0)]!;
    // B2's meters read 0 on Thursday 11:00.
    const drop = row(72 + 11, 1);
    test.meters[0]![drop] = 0;
    test.meters[1]![drop] = 0;
    const s = scoreContextual(model, test);
    expect(s.warnings).toEqual([]);
    expect(s.flags[hv]).toBe(1);
    expect(MEMBERS[s.member[hv]!]).toBe('residual');
    expect(meters[s.feature[hv]!]).toBe('hvac_kw');
    for (let h = 48 + 2; h < 48 + 10; h++) {
      expect(s.flags[row(h, 0)]).toBe(1);
      expect(RULES[s.rule[row(h, 0)]!]).toBe('stuck');
    }
    expect(s.feature[row(50, 0)]).toBe(meters.length); // the first stuck column
    expect(RULES[s.rule[drop]!]).toBe('dropout');
    expect(s.scores[drop]).toBeGreaterThan(0.5);
    expect(s.scores[hv]).toBeGreaterThan(0.5);
    expect(s.scores.every((v) => v >= 0 && v < 1)).toBe(true);
    let flagged = 0;
    for (const f of s.flags) flagged += f;
    expect(flagged).toBeLessThan(8 + 1 + 1 + 10);
    // The explanation names the meter, the ratio to expected and the context, and suggests the fault.
    const at = (i: number) => ({ meters: test.meters.map((c) => c[i]!), stuck: test.stuckColumns.map((c) => c[i]!) });
    const hvCause = causeOf(model, s, hv, at(hv), test.time[hv]!, test.temperature![hv]!, false);
    expect(hvCause.likelyFault).toBe('hvac_fault');
    const ratio = test.meters[0]![hv]! / s.expected[0]![hv]!;
    expect(hvCause.text).toBe(
      `hvac_kw ${Math.round(ratio * 100) / 100}× expected for 14:00 Tuesday at ${Math.round(test.temperature![hv]!)} °C`,
    );
    expect(causeOf(model, s, drop, at(drop), test.time[drop]!, test.temperature![drop]!, false).likelyFault).toBe('dropout');
    expect(causeOf(model, s, row(50, 0), at(row(50, 0)), test.time[row(50, 0)]!, NaN, true).likelyFault).toBe('sensor_stuck');

    // The model file round-trips: the loaded detector scores bit for bit the same.
    const json = contextualArtifactToJson({ kind: 'contextual', timeColumn: 'timestamp', idColumn: 'building_id', model });
    const loaded = loadAnyArtifact(json);
    if (loaded.kind !== 'contextual') throw new Error('expected a contextual artifact');
    expect(Array.from(scoreContextual(loaded.model, test).scores)).toEqual(Array.from(s.scores));
    expect(() => loadAnyArtifact(json.replace('"contextual"', '"mystery"'))).toThrow(
      'invalid model file: kind "mystery" is not known to this GreenLens (expected "contextual" or none)',
    );
    // Forest files have no kind and load as before.
    const forest = fitIsolationForest([Float64Array.from([1, 2, 3, 4])], ['x'], { nTrees: 2, seed: 1 });
    expect(loadAnyArtifact(modelArtifactToJson({ preprocess: { kind: 'none' }, forest })).kind).toBe('isolation-forest');
  });

  it('uses the fleet baseline (and says so) for short histories and unseen buildings', () => {
    const withShort = fleet([1, 2.5, 1.5], 10 * 168, 3);
    // The third building keeps only its last week.
    const keep = Array.from({ length: withShort.time.length }, (_, i) => i % 3 !== 2 || i >= 3 * 9 * 168);
    const cut = <T extends Float64Array | Int32Array>(a: T): T => a.filter((_, i) => keep[i]) as T;
    const input: ContextualInput = {
      time: cut(withShort.time),
      groups: { codes: cut(withShort.groups!.codes), dictionary: withShort.ids },
      temperature: cut(withShort.temperature!),
      meters: withShort.meters.map(cut),
      stuckColumns: withShort.stuckColumns.map(cut),
    };
    const fit = fitContextual(input, names);
    expect(fit.model.buildings[2]!.meters).toBeNull();
    expect(fit.training.warnings).toEqual(['B3: 168 readings, less than 672 h of history: uses the fleet baseline.']);
    const other = fleet([2], 168, 4, MONDAY + 10 * 168 * HOUR);
    other.groups!.dictionary = ['B9'];
    const s = scoreContextual(fit.model, other);
    expect(s.warnings[0]).toBe(
      '1 building not seen in training (B9): scored with the fleet baseline scaled by their own median, so their scores are less reliable.',
    );
    let flagged = 0;
    for (const f of s.flags) flagged += f;
    expect(flagged / s.flags.length).toBeLessThan(0.05);
  });
});
