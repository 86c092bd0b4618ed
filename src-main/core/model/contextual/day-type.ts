/**
 * Day typing: a weekday on which a building is closed (a public or school
 * holiday the detector cannot know about) looks like a Sunday, not like the
 * weekday the hour-of-week terms expect. Each calendar day (UTC) of a
 * building is compared against both profiles; when the closed-day profile
 * explains the day's readings better (smaller total scaled absolute error),
 * the day is scored against the closed-day profile. This is decided from the
 * whole day, so a fault of a few hours does not flip it, and a whole-day
 * dropout still fires its rule against the closed-day expectation.
 */
const DAY = 86_400_000;

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

/** closedDayFlags from the errors per position in `rows` under each profile (computed in bulk by the caller). */
export function closedDaysOf(rows: Int32Array, time: Float64Array, normalError: Float64Array, closedError: Float64Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  let start = 0;
  while (start < rows.length) {
    const day = Math.floor(time[rows[start]!]! / DAY);
    let end = start;
    let normal = 0;
    let closed = 0;
    while (end < rows.length && Math.floor(time[rows[end]!]! / DAY) === day) {
      const a = normalError[end]!;
      const b = closedError[end]!;
      if (Number.isFinite(a) && Number.isFinite(b)) {
        normal += a;
        closed += b;
      }
      end++;
    }
    if (closed < normal) out.fill(1, start, end);
    start = end;
  }
  return out;
}
