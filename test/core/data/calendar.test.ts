import { describe, expect, it } from 'vitest';
import { DAY_MS, timeSpan, weekdayOf } from '../../../src-main/core/data/calendar';

describe('calendar', () => {
  it('timeSpan is the first and last finite time, in any order; null when none is finite', () => {
    const t0 = Date.UTC(2025, 0, 6);
    expect(timeSpan([t0 + DAY_MS, Number.NaN, t0, Number.POSITIVE_INFINITY, t0 + 3 * DAY_MS, Number.NEGATIVE_INFINITY])).toEqual([
      t0,
      t0 + 3 * DAY_MS,
    ]);
    expect(timeSpan(Float64Array.of(t0))).toEqual([t0, t0]);
    expect(timeSpan([])).toBeNull();
    expect(timeSpan([Number.NaN, Number.POSITIVE_INFINITY])).toBeNull();
  });

  it('weekdayOf counts days of DAY_MS from a Thursday', () => {
    expect(weekdayOf(0)).toBe(4);
    expect(weekdayOf(Date.UTC(2025, 0, 6))).toBe(1);
    expect(weekdayOf(Date.UTC(2025, 0, 6) + 6 * DAY_MS)).toBe(0);
  });
});
