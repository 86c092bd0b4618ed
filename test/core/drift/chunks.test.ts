import { describe, expect, it } from 'vitest';
import { driftTrend } from '../../../src-main/core/drift/chunks';
import { buildReferenceProfile } from '../../../src-main/core/drift/profile';
import { DEFAULT_DRIFT_THRESHOLDS as DEFAULT_THRESHOLDS } from '../../../src-main/contract/shared/monitoring';
import { normal } from './helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1); // a Monday

/**
 * 14 days of one reading a minute; from day 7 on, `load` moves up by 1σ.
 * (Dense on purpose: with ~100 rows a chunk, PSI's no-drift bias of about
 * (B−1)/n ≈ 0.09 alone would cross the 0.1 threshold half the time.)
 */
function fortnight(): { ts: Float64Array; load: Float64Array; temp: Float64Array } {
  const n = 14 * 24 * 60;
  const ts = new Float64Array(n);
  const load = normal(n, 11);
  const temp = normal(n, 12);
  for (let i = 0; i < n; i++) {
    ts[i] = T0 + i * 60_000;
    if (ts[i]! >= T0 + 7 * DAY) load[i]! += 1;
  }
  return { ts, load, temp };
}

describe('driftTrend', () => {
  const ref = { load: normal(5000, 1), temp: normal(5000, 2) };
  const { ts, load, temp } = fortnight();

  it('daily chunks show drift starting on day 7', () => {
    const trend = driftTrend(ref, { load, temp }, DEFAULT_THRESHOLDS, { by: 'day', timestamps: ts });
    expect(trend.chunks).toHaveLength(14);
    expect(trend.chunks[0]!.start).toBe(T0);
    expect(trend.chunks[0]!.end).toBe(T0 + DAY);
    expect(trend.chunks[0]!.rows).toBe(1440);
    const loadDrift = trend.chunks.map((c) => c.features.find((f) => f.name === 'load')!.drifted);
    expect(loadDrift.slice(0, 7).every((d) => !d)).toBe(true);
    expect(loadDrift.slice(7).every((d) => d)).toBe(true);
    expect(trend.chunks[10]!.driftedShare).toBe(0.5);
  });

  it('weekly chunks start on Monday; shuffled rows give the same chunks', () => {
    const order = Array.from(ts.keys()).reverse();
    const shuffled = {
      ts: Float64Array.from(order, (i) => ts[i]!),
      load: Float64Array.from(order, (i) => load[i]!),
      temp: Float64Array.from(order, (i) => temp[i]!),
    };
    const a = driftTrend(ref, { load, temp }, DEFAULT_THRESHOLDS, { by: 'week', timestamps: ts });
    const b = driftTrend(ref, { load: shuffled.load, temp: shuffled.temp }, DEFAULT_THRESHOLDS, { by: 'week', timestamps: shuffled.ts });
    expect(a.chunks.map((c) => c.start)).toEqual([T0, T0 + 7 * DAY]);
    expect(b.chunks.map((c) => c.features.map((f) => f.psi))).toEqual(a.chunks.map((c) => c.features.map((f) => f.psi)));
  });

  it('caps the number of points by widening chunks', () => {
    const trend = driftTrend(ref, { load, temp }, DEFAULT_THRESHOLDS, { by: 'hour', timestamps: ts, maxPoints: 100, minRows: 1 });
    expect(trend.chunks.length).toBeLessThanOrEqual(100);
    expect(trend.chunkWidth).toBe(4);
    expect(trend.chunks[0]!.rows).toBe(240);
    expect(trend.chunks[1]!.start! - trend.chunks[0]!.start!).toBe(4 * HOUR);
  });

  it('row chunks, small chunks left unassessed, profile reference', () => {
    const profile = buildReferenceProfile(ref, { sampleSize: 1000 });
    const trend = driftTrend(profile, { load, temp }, DEFAULT_THRESHOLDS, { by: { rows: 3000 } });
    expect(trend.chunks).toHaveLength(7);
    expect(trend.chunks.map((c) => c.rows)).toEqual([3000, 3000, 3000, 3000, 3000, 3000, 2160]);
    expect(trend.chunks[2]!.rowStart).toBe(6000);
    expect(trend.chunks.map((c) => c.features[0]!.drifted)).toEqual([false, false, false, true, true, true, true]);
    const tiny = driftTrend(profile, { load, temp }, DEFAULT_THRESHOLDS, { by: { rows: 10_000 }, minRows: 500 });
    expect(tiny.chunks.map((c) => c.rows)).toEqual([10_000, 10_000, 160]);
    expect(tiny.chunks[2]!.assessed).toBe(false);
    expect(() => driftTrend(ref, { load }, DEFAULT_THRESHOLDS, { by: 'day' })).toThrow(/needs timestamps/);
  });
});
