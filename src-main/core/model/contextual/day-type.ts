import { DAY_MS } from '../../../contract/shared/time';
/**
 * Day typing: a weekday on which a building is closed (a public or school
 * holiday the detector cannot know about) looks like a Sunday, not like the
 * weekday the hour-of-week terms expect. Each calendar day (UTC) of a
 * building is compared against both profiles; when the closed-day profile
 * explains the day's readings better (a smaller total absolute error, both
 * scaled by the normal slot's spread so they are in one unit), the day is
 * scored against the closed-day profile. This is decided
 * from the whole day, so a fault of a few hours does not flip it, and a
 * whole-day dropout still fires its rule against the closed-day expectation.
 *
 * Where the two profiles are alike (a 24/7 building, whose Sunday is any
 * other day) no day is closed: the profiles must differ over the day by at
 * least MIN_PROFILE_GAP of the normal profile's load. Without that, a
 * day-long spike pulls its weekday's terms up a little, every other such
 * weekday is then explained "better" by the closed profile, and the spike
 * day is left alone in its weekday's terms, fits itself and is never
 * flagged. Training also keeps closed days only when there are at least
 * MIN_CLOSED_DAYS of them (holidays recur; a lone odd day is a fault).
 */

/** Training fits closed-day terms only from at least this many closed days; fewer are treated as ordinary days. */
export const MIN_CLOSED_DAYS = 3;
/** Over a day, the closed profile must differ from the normal one by at least this share of the normal profile's load. */
export const MIN_PROFILE_GAP = 0.1;

/**
 * Closed flag per position in `rows` (a building's readings in time order).
 * `error(row, closed)` is the scaled absolute error of that reading under
 * the normal or the closed-day profile.
 */
export function closedDayFlags(rows: Int32Array, time: Float64Array, error: (row: number, closed: boolean) => number): Uint8Array {
  const normal = new Float64Array(rows.length);
  const closed = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    normal[k] = error(rows[k]!, false);
    closed[k] = error(rows[k]!, true);
  }
  return closedDaysOf(rows, time, normal, closed);
}

/**
 * closedDayFlags from the errors per position in `rows` under each profile
 * (computed in bulk by the caller), and optionally per position the
 * profiles' absolute difference and the normal profile's absolute load
 * (a day is closed only where their sums differ by MIN_PROFILE_GAP).
 */
export function closedDaysOf(
  rows: Int32Array,
  time: Float64Array,
  normalError: Float64Array,
  closedError: Float64Array,
  profileGap: Float64Array | null = null,
  normalLoad: Float64Array | null = null,
): Uint8Array {
  const out = new Uint8Array(rows.length);
  let start = 0;
  while (start < rows.length) {
    const day = Math.floor(time[rows[start]!]! / DAY_MS);
    let end = start;
    let normal = 0;
    let closed = 0;
    let gap = 0;
    let load = 0;
    while (end < rows.length && Math.floor(time[rows[end]!]! / DAY_MS) === day) {
      const a = normalError[end]!;
      const b = closedError[end]!;
      if (Number.isFinite(a) && Number.isFinite(b)) {
        normal += a;
        closed += b;
      }
      if (profileGap && normalLoad) {
        gap += profileGap[end]!;
        load += normalLoad[end]!;
      }
      end++;
    }
    const distinct = !profileGap || gap >= MIN_PROFILE_GAP * load;
    if (distinct && closed < normal) out.fill(1, start, end);
    start = end;
  }
  return out;
}

/** Number of distinct days flagged closed (flags per position of time-ordered rows). */
export function closedDayCount(rows: Int32Array, time: Float64Array, flags: Uint8Array): number {
  let days = 0;
  let last = NaN;
  for (let k = 0; k < rows.length; k++) {
    if (!flags[k]) continue;
    const day = Math.floor(time[rows[k]!]! / DAY_MS);
    if (day !== last) days++;
    last = day;
  }
  return days;
}
