/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds (UTC days: no daylight saving). Here so the renderer and the CLI's words share core's day. */
export const DAY_MS = 24 * HOUR_MS;
/** One week in milliseconds. */
export const WEEK_MS = 7 * DAY_MS;
