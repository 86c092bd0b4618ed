/**
 * Calendar facts the year simulator's schedules need: weekday, public
 * holidays and school holidays, all in UTC (the simulator's timestamps are
 * UTC wall-clock hours). Dates are fixed month/day pairs so every year has
 * the same holidays, which keeps the train-on-year-1 / score-on-year-2
 * protocol honest about what the detector could have learnt.
 */

import { DAY_MS, FIRST_MONDAY_MS, WEEK_MS } from '../../contract/shared/time';

export { DAY_MS };

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(t: number): number {
  return (Math.floor(t / DAY_MS) + 4) % 7;
}

/** Monday 00:00 UTC of the week holding t. */
export function weekStartOf(t: number): number {
  return Math.floor((t - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS + FIRST_MONDAY_MS;
}

/** Month (1-12) × 100 + day of month, e.g. 1225 for 25 December. */
function monthDay(t: number): number {
  const d = new Date(t);
  return (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/** Fixed-date public holidays (New Year, spring holidays, Labour Day, mid-August, Armistice, Christmas). */
const PUBLIC_HOLIDAYS = new Set([101, 421, 501, 529, 815, 1111, 1225, 1226]);

export function isPublicHoliday(t: number): boolean {
  return PUBLIC_HOLIDAYS.has(monthDay(t));
}

/** School holidays as inclusive month/day ranges: winter, spring, summer, autumn, Christmas. */
const SCHOOL_HOLIDAYS: [number, number][] = [
  [101, 103],
  [215, 223],
  [405, 419],
  [704, 831],
  [1024, 1102],
  [1220, 1231],
];

export function isSchoolHoliday(t: number): boolean {
  const md = monthDay(t);
  return SCHOOL_HOLIDAYS.some(([a, b]) => md >= a && md <= b);
}

/** Day of the year, 0-based. */
export function dayOfYear(t: number): number {
  return Math.floor((t - Date.UTC(new Date(t).getUTCFullYear(), 0, 1)) / DAY_MS);
}

/** First and last finite timestamp (epoch ms) of `times`; null when none is finite. */
export function timeSpan(times: ArrayLike<number>): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!Number.isFinite(t)) continue;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return hi >= lo ? [lo, hi] : null;
}
