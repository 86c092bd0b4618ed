import { describe, expect, it } from 'vitest';
import { createRng } from '../../src-main/core/data/rng';
import { weeklyR2 } from '../../src-main/backend/model/meter-by-data';

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2025, 0, 6);

describe('a meter found by its data', () => {
  const n = 8 * 168;
  const time = Float64Array.from({ length: n }, (_, i) => MONDAY + i * HOUR);
  const rng = createRng(3);

  it('scores a load that follows the hour of the week near 1, noise near 0, and refuses negative columns', () => {
    const load = Float64Array.from(time, (t, i) => {
      const d = new Date(t);
      const open = d.getUTCDay() >= 1 && d.getUTCDay() <= 5 && d.getUTCHours() >= 8 && d.getUTCHours() < 18;
      return (open ? 100 : 20) + (i % 7 === 0 ? 0.5 : 0);
    });
    expect(weeklyR2(load, time, null)).toBeGreaterThan(0.99);
    const noise = Float64Array.from(time, () => 50 + rng.normal());
    expect(Math.abs(weeklyR2(noise, time, null))).toBeLessThan(0.05);
    const signed = Float64Array.from(load, (v, i) => (i === 5 ? -1 : v));
    expect(weeklyR2(signed, time, null)).toBeNaN();
  });

  it('measures the pattern within each building, so two buildings of different sizes still score near 1', () => {
    const codes = Int32Array.from({ length: 2 * n }, (_, i) => i % 2);
    const t2 = Float64Array.from({ length: 2 * n }, (_, i) => time[i >> 1]!);
    const load = Float64Array.from(t2, (t, i) => (10 + (new Date(t).getUTCHours() >= 8 ? 5 : 0)) * (i % 2 ? 30 : 1));
    expect(weeklyR2(load, t2, codes)).toBeGreaterThan(0.99);
    // Without the buildings, the size difference is unexplained variance.
    expect(weeklyR2(load, t2, null)).toBeLessThan(0.1);
  });
});
