import { describe, expect, it } from 'vitest';
import { DAY_MS, timeSpan, weekdayOf, weekStartOf } from '../../../src-main/core/data/calendar';

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

  it('weekStartOf is the Monday 00:00 UTC at or before a time, before the epoch too', () => {
    const monday = Date.UTC(2025, 0, 6);
    expect(weekStartOf(monday)).toBe(monday);
    expect(weekStartOf(monday + 6 * DAY_MS + DAY_MS - 1)).toBe(monday);
    expect(weekStartOf(monday + 7 * DAY_MS)).toBe(monday + 7 * DAY_MS);
    expect(weekStartOf(monday - 1)).toBe(monday - 7 * DAY_MS);
    expect(weekStartOf(0)).toBe(Date.UTC(1969, 11, 29));
    expect(weekdayOf(weekStartOf(Date.UTC(2031, 4, 17, 13)))).toBe(1);
  });
});
