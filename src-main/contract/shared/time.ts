/** One day in milliseconds (UTC days: no daylight saving). Here so the renderer and the CLI's words share core's day. */
export const DAY_MS = 86_400_000;
