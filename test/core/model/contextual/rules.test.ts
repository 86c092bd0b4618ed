import { describe, expect, it } from 'vitest';
import { closedDayCount, closedDayFlags, closedDaysOf } from '../../../../src-main/core/model/contextual/day-type';
import { isDropout, jumpSize, markStuckRuns } from '../../../../src-main/core/model/contextual/rules';
import { adjacent, buildingSeries } from '../../../../src-main/core/model/contextual/series';

const HOUR = 3_600_000;
const hourly = (n: number, gapAfter = -1, gap = 0): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => i * HOUR + (gapAfter >= 0 && i > gapAfter ? gap : 0));

describe('sequence rules', () => {
  it('orders each building by time and finds its step, whatever the row order', () => {
    const time = Float64Array.from([3, 1, 2, 1, 0, 2].map((h) => h * HOUR));
    const codes = Int32Array.from([0, 0, 0, 1, 1, 1]);
    const s = buildingSeries(time, codes);
    expect(s.map((b) => Array.from(b.rows))).toEqual([
      [1, 2, 0],
      [4, 3, 5],
    ]);
    expect(s[0]!.step).toBe(HOUR);
    expect(adjacent(time, s[0]!, 1)).toBe(true);
  });

  it('stuck: marks every reading of a run of ≥ 6 equal hourly values, not a run of 5, not zeros, not across a gap', () => {
    const v = Float64Array.from([1, 2, 7, 7, 7, 7, 7, 7, 3, 9, 9, 9, 9, 9, 4, 0, 0, 0, 0, 0, 0, 0, 5]);
    const time = hourly(v.length);
    const [s] = buildingSeries(time, null);
    const out = new Uint8Array(v.length);
    expect(markStuckRuns(v, time, s!, 6, out)).toBe(6);
    expect(Array.from(out).join('')).toBe('00111111000000000000000');
    // The same six 7s with a 5-hour hole after the third: two runs of 3, nothing marked.
    const gappy = hourly(v.length, 4, 5 * HOUR);
    const [g] = buildingSeries(gappy, null);
    const none = new Uint8Array(v.length);
    expect(markStuckRuns(v, gappy, g!, 6, none)).toBe(0);
    // Readings every 15 minutes: 6 hours is 24 readings.
    const quarter = Float64Array.from({ length: 30 }, (_, i) => (i * HOUR) / 4);
    const flat = Float64Array.from({ length: 30 }, (_, i) => (i < 23 ? 12.5 : i));
    const [q] = buildingSeries(quarter, null);
    expect(markStuckRuns(flat, quarter, q!, 6, new Uint8Array(30))).toBe(0);
    flat[23] = 12.5;
    expect(markStuckRuns(flat, quarter, q!, 6, new Uint8Array(30))).toBe(24);
  });

  it('dropout: zero or negative only counts where the expected load is clearly positive', () => {
    expect(isDropout(0, 40, 6)).toBe(true);
    expect(isDropout(-1, 40, 6)).toBe(true);
    expect(isDropout(0, 5, 6)).toBe(false); // a building that is nearly off anyway
    expect(isDropout(0.5, 40, 6)).toBe(false);
  });

  it('jump: the change of the residual between adjacent readings, 0 across a gap', () => {
    const r = Float64Array.from([0, 0.2, 9.2, 0.1]);
    const time = hourly(4, 2, 10 * HOUR);
    const [s] = buildingSeries(time, null);
    expect(jumpSize(r, time, s!, 2, 3)).toBeCloseTo(3, 12);
    expect(jumpSize(r, time, s!, 0, 3)).toBe(0);
    expect(jumpSize(r, time, s!, 3, 3)).toBe(0); // 10 h gap before it
  });

  it('day typing: a day closer to the closed profile over its whole length is closed; a few bad hours do not flip it', () => {
    const time = hourly(72);
    const rows = Int32Array.from({ length: 72 }, (_, i) => i);
    // Day 0 fits normal, day 1 fits closed, day 2 fits normal except 5 hours that fit closed better.
    const err = (i: number, closed: boolean): number => {
      const day = Math.floor(i / 24);
      const closedBetter = day === 1 || (day === 2 && i % 24 < 5);
      return closedBetter === closed ? 0.5 : 3;
    };
    const flags = closedDayFlags(rows, time, err);
    expect([flags[0], flags[30], flags[50], flags[70]]).toEqual([0, 1, 0, 0]);
  });

  it('day typing: where the two profiles differ by less than 10 % of the load over a day (a 24/7 building), no day is closed', () => {
    const time = hourly(48);
    const rows = Int32Array.from({ length: 48 }, (_, i) => i);
    const normal = new Float64Array(48).fill(3);
    const closed = new Float64Array(48).fill(0.5);
    const load = new Float64Array(48).fill(100);
    // Day 0: the profiles differ by 9 kW an hour on a 100 kW load; day 1 by 11 kW.
    const gap = Float64Array.from({ length: 48 }, (_, i) => (i < 24 ? 9 : 11));
    const flags = closedDaysOf(rows, time, normal, closed, gap, load);
    expect([flags[0], flags[23], flags[24], flags[47]]).toEqual([0, 0, 1, 1]);
    expect(closedDayCount(rows, time, flags)).toBe(1);
  });
});
