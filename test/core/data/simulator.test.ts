import { describe, expect, it } from 'vitest';
import { DRIFT_SCENARIOS } from '../../../src-main/contract/shared/data';
import {
  ANOMALY_TYPES,
  DEFAULT_START,
  DRIFT_EFFECTS,
  SIM_FEATURES,
  simulate,
  type SimulateOptions,
} from '../../../src-main/core/data/simulator';
import { getColumn, type Table } from '../../../src-main/core/data/table';

const base: SimulateOptions = { buildings: 3, days: 60, seed: 7, anomalyRate: 0.02, drift: 'none', start: DEFAULT_START };

function values(t: Table, name: string): Float64Array {
  const c = getColumn(t, name);
  if (!c || c.kind === 'category') throw new Error(`no numeric column ${name}`);
  return c.values;
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

describe('building simulator', () => {
  it('is deterministic: same seed, identical output; another seed differs', () => {
    const a = simulate(base);
    const b = simulate(base);
    for (const col of a.columns) expect(getColumn(b, col.name)).toEqual(col);
    const c = simulate({ ...base, seed: 8 });
    expect(values(c, 'total_kw')).not.toEqual(values(a, 'total_kw'));
  });

  it('a seed changes the readings, not the buildings: each building draws the same load on average under any seed', () => {
    // Per building: the mean lighting load follows its size (20 kW × size at full occupancy).
    const perBuilding = (t: Table): number[] => {
      const light = values(t, 'lighting_kw');
      const b = getColumn(t, 'building_id');
      if (!b || b.kind !== 'category') throw new Error('no building_id');
      const sums = [0, 0, 0];
      const counts = [0, 0, 0];
      for (let i = 0; i < t.rowCount; i++) {
        sums[b.codes[i]!]! += light[i]!;
        counts[b.codes[i]!]!++;
      }
      return sums.map((sum, k) => sum / counts[k]!);
    };
    const fleet = perBuilding(simulate(base));
    // The buildings differ from each other by far more than the 3 % a seed may move their means.
    expect(Math.max(...fleet) / Math.min(...fleet)).toBeGreaterThan(1.1);
    for (const seed of [1, 9, 42, 123_456]) {
      const other = perBuilding(simulate({ ...base, seed }));
      other.forEach((m, k) => expect(Math.abs(m / fleet[k]! - 1)).toBeLessThan(0.03));
    }
  });

  it('produces buildings × days × 24 hourly rows with the ARCHITECTURE §5 columns', () => {
    const t = simulate({ ...base, buildings: 4, days: 9 });
    expect(t.rowCount).toBe(4 * 9 * 24);
    expect(t.columns.map((c) => c.name)).toEqual(['timestamp', 'building_id', ...SIM_FEATURES, 'is_anomaly', 'anomaly_type']);
    const ts = values(t, 'timestamp');
    expect(ts[0]).toBe(DEFAULT_START);
    expect(ts[4]).toBe(DEFAULT_START + 3_600_000); // time-major: 4 buildings per hour
    expect(ts.at(-1)).toBe(DEFAULT_START + (9 * 24 - 1) * 3_600_000);
  });

  it('keeps total_kw the sum of its parts and loads non-negative', () => {
    const t = simulate(base);
    const [h, l, p, tot] = ['hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'].map((n) => values(t, n));
    for (let i = 0; i < t.rowCount; i++) {
      expect(tot![i]!, `row ${i}`).toBeCloseToRel(h![i]! + l![i]! + p![i]!, { abs: 0.011 });
      expect(h![i]!).toBeGreaterThanOrEqual(0);
    }
  });

  it('has daily and weekly cycles: office hours on weekdays draw more than nights and weekends', () => {
    const t = simulate({ ...base, anomalyRate: 0 });
    const ts = values(t, 'timestamp');
    const occ = values(t, 'occupancy');
    const sums = { weekdayNoon: [0, 0], night: [0, 0], weekendNoon: [0, 0] };
    for (let i = 0; i < t.rowCount; i++) {
      const d = new Date(ts[i]!);
      const hour = d.getUTCHours();
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      const key = hour === 3 ? 'night' : hour === 12 ? (weekend ? 'weekendNoon' : 'weekdayNoon') : null;
      if (key) {
        sums[key][0]! += occ[i]!;
        sums[key][1]! += 1;
      }
    }
    const avg = (k: keyof typeof sums): number => sums[k][0]! / sums[k][1]!;
    expect(avg('weekdayNoon')).toBeGreaterThan(5 * avg('night'));
    expect(avg('weekdayNoon')).toBeGreaterThan(3 * avg('weekendNoon'));
  });

  it('labels anomalies at roughly the requested rate, with their types', () => {
    for (const rate of [0.01, 0.05]) {
      const t = simulate({ ...base, buildings: 10, days: 365, anomalyRate: rate });
      const flags = values(t, 'is_anomaly');
      const share = mean(flags);
      expect(share).toBeGreaterThan(rate * 0.75);
      expect(share).toBeLessThan(rate * 1.25);
      const type = getColumn(t, 'anomaly_type');
      if (type?.kind !== 'category') throw new Error('anomaly_type must be a category');
      expect(type.dictionary).toEqual([...ANOMALY_TYPES]);
      const seen = new Set<number>();
      for (let i = 0; i < t.rowCount; i++) {
        expect(type.codes[i]! > 0).toBe(flags[i] === 1);
        seen.add(type.codes[i]!);
      }
      expect(seen.size).toBe(5);
    }
    const none = simulate({ ...base, anomalyRate: 0 });
    expect(mean(values(none, 'is_anomaly'))).toBe(0);
  });

  it('dropouts zero the loads and spikes raise them', () => {
    const t = simulate({ ...base, buildings: 5, days: 200, anomalyRate: 0.05 });
    const type = getColumn(t, 'anomaly_type');
    if (type?.kind !== 'category') throw new Error('category expected');
    const total = values(t, 'total_kw');
    const normalMean = mean(total.filter((_, i) => type.codes[i] === 0));
    const dropout = total.filter((_, i) => type.dictionary[type.codes[i]!] === 'dropout');
    const spike = total.filter((_, i) => type.dictionary[type.codes[i]!] === 'spike');
    expect(Math.max(...dropout)).toBe(0);
    expect(mean(spike)).toBeGreaterThan(1.3 * normalMean);
  });

  it.each(DRIFT_SCENARIOS.filter((d) => d !== 'none'))('drift scenario %s moves only its columns', (drift) => {
    const ref = simulate(base);
    const cur = simulate({ ...base, drift });
    const moved = DRIFT_EFFECTS[drift];
    for (const col of ref.columns) {
      const other = getColumn(cur, col.name)!;
      if (moved.includes(col.name)) expect(other).not.toEqual(col);
      else expect(other).toEqual(col);
    }
  });

  it('heatwave raises outdoor temperature and HVAC load; equipment raises HVAC and plug load', () => {
    const ref = simulate(base);
    const heat = simulate({ ...base, drift: 'heatwave' });
    expect(mean(values(heat, 'outdoor_temp_c')) - mean(values(ref, 'outdoor_temp_c'))).toBeGreaterThan(6);
    expect(mean(values(heat, 'hvac_kw'))).toBeGreaterThan(1.1 * mean(values(ref, 'hvac_kw')));
    const equip = simulate({ ...base, drift: 'equipment' });
    expect(mean(values(equip, 'hvac_kw'))).toBeGreaterThan(1.2 * mean(values(ref, 'hvac_kw')));
    expect(mean(values(equip, 'plug_load_kw'))).toBeGreaterThan(1.1 * mean(values(ref, 'plug_load_kw')));
  });

  it('sensor degradation makes the temperature reading noisier and biased', () => {
    const ref = simulate(base);
    const deg = simulate({ ...base, drift: 'sensor-degradation' });
    const r = values(ref, 'outdoor_temp_c');
    const d = values(deg, 'outdoor_temp_c');
    const diff = d.map((v, i) => v - r[i]!);
    const m = mean(diff);
    const sd = Math.sqrt(mean(diff.map((v) => (v - m) ** 2)));
    expect(m).toBeGreaterThan(1);
    expect(sd).toBeGreaterThan(2);
  });

  it('reports progress monotonically and can be aborted by the progress hook', () => {
    const seen: number[] = [];
    simulate({ ...base, buildings: 50, days: 100 }, { progress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(50 * 100 * 24);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(() =>
      simulate(
        { ...base, buildings: 50, days: 100 },
        {
          progress: (done) => {
            if (done > 0) throw new Error('stop');
          },
        },
      ),
    ).toThrow('stop');
  });
});
