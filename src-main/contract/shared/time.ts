/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds (UTC days: no daylight saving). Here so the renderer and the CLI's words share core's day. */
export const DAY_MS = 24 * HOUR_MS;
/** One week in milliseconds. */
export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05 00:00 UTC, the epoch's first Monday: weeks start on Monday (ISO 8601). */
export const FIRST_MONDAY_MS = 4 * DAY_MS;
