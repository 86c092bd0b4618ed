/**
 * Seasonally matched drift references (ARCHITECTURE §6). A version trained on
 * a whole year of timestamped readings keeps a sample of its training rows with
 * their day of the year. Drift of readings from late autumn is then measured
 * against the training readings of the same weeks, not against the whole year:
 * against the year, every winter window "drifts" in temperature and heating
 * load, and a health check would call a model that fits the building critical
 * and advise retraining on a few winter weeks, which fails the next season.
 * Readings unlike last year's same weeks (a heatwave, a new chiller) still drift.
 */

import { DAY_MS, dayOfYear, timeSpan } from '../data/calendar';
import { sampleRows } from '../stats/sample';
import type { ReferenceProfile } from './profile';

/** Training data must span this many days (a seasonal cycle) for the profile to keep a season sample. */
export const SEASON_MIN_SPAN_DAYS = 330;
/** Training rows sampled with their day of the year: about 22 a day, 330 for a one-day window and its margin. */
export const SEASON_SAMPLE_ROWS = 8_000;
/** Days either side of the current readings' days that count as the same weeks. */
export const SEASON_MARGIN_DAYS = 7;
/** Fewer matched sample rows than this and the whole-year reference is used. */
export const SEASON_MIN_ROWS = 300;

export interface SeasonSample {
  /** Day of the year (0 = 1 January, UTC) of each sampled training reading. */
  days: number[];
  /** Each feature's value in those readings, by feature name; null where the reading had none. */
  values: Record<string, Array<number | null>>;
}

/** The matched part of a season sample: the training readings of the current readings' weeks. */
export interface SeasonalReference {
  columns: Record<string, Float64Array>;
  /** Sampled training readings matched. */
  rows: number;
  /** Days of the year matched (the current readings' days, widened by the margin). */
  days: number;
}

/**
 * A uniform sample (seeded, without replacement) of the rows with a finite time,
 * with their days and feature values; null when those times span less than
 * SEASON_MIN_SPAN_DAYS, where "the same weeks of the training year" do not exist.
 */
export function seasonSample(columns: Record<string, ArrayLike<number>>, time: ArrayLike<number>, seed: number): SeasonSample | null {
  const span = timeSpan(time);
  if (!span || (span[1] - span[0]) / DAY_MS < SEASON_MIN_SPAN_DAYS) return null;
  const rows = sampleTimedRows(time, SEASON_SAMPLE_ROWS, seed);
  const values: Record<string, Array<number | null>> = {};
  for (const [name, column] of Object.entries(columns)) {
    values[name] = Array.from(rows, (r) => {
      const v = column[r]!;
      return Number.isFinite(v) ? v : null;
    });
  }
  return { days: Array.from(rows, (r) => dayOfYear(time[r]!)), values };
}

/**
 * `profile` with a season sample of `columns` at `time` (seeded with the profile's seed) when those times span a
 * seasonal cycle; the profile as it is otherwise. The rows may be more than the profile's own (all timestamped rows).
 */
export function withSeason(
  profile: ReferenceProfile,
  columns: Record<string, ArrayLike<number>>,
  time: ArrayLike<number>,
): ReferenceProfile {
  const season = seasonSample(columns, time, profile.seed);
  return season ? { ...profile, season } : profile;
}

/** Row indices (ascending) of a uniform k-subset of the rows with a finite time. */
function sampleTimedRows(time: ArrayLike<number>, k: number, seed: number): Int32Array {
  return sampleRows(time.length, k, seed, (i) => Number.isFinite(time[i]!));
}

/**
 * The training readings of the weeks `times` fall in (each reading's day of the
 * year, widened by SEASON_MARGIN_DAYS, across the new year), as raw reference
 * columns; null when no time is finite, when the days cover nearly the whole
 * year (the whole-year reference is then the season), or when fewer than
 * SEASON_MIN_ROWS sampled readings match.
 */
export function seasonalReference(season: SeasonSample, times: ArrayLike<number>): SeasonalReference | null {
  const covered = new Uint8Array(366);
  let any = false;
  let dayStart = Number.NaN;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!Number.isFinite(t)) continue;
    any = true;
    // Readings come mostly in time order: the rest of a day's readings are already counted.
    if (t >= dayStart && t < dayStart + DAY_MS) continue;
    dayStart = t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
    covered[dayOfYear(t)] = 1;
  }
  if (!any) return null;
  const matched = new Uint8Array(366);
  for (let d = 0; d < 366; d++) {
    if (!covered[d]) continue;
    for (let k = -SEASON_MARGIN_DAYS; k <= SEASON_MARGIN_DAYS; k++) matched[(d + k + 366) % 366] = 1;
  }
  let days = 0;
  for (let d = 0; d < 366; d++) days += matched[d]!;
  if (days >= 366 - SEASON_MARGIN_DAYS) return null;
  const picked: number[] = [];
  for (let i = 0; i < season.days.length; i++) if (matched[season.days[i]!]) picked.push(i);
  if (picked.length < SEASON_MIN_ROWS) return null;
  const columns: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(season.values)) columns[name] = Float64Array.from(picked, (i) => values[i] ?? Number.NaN);
  return { columns, rows: picked.length, days };
}
