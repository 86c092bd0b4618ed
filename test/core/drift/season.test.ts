import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIFT_THRESHOLDS as THRESHOLDS } from '../../../src-main/contract/shared/monitoring';
import { driftTrend } from '../../../src-main/core/drift/chunks';
import { buildReferenceProfile } from '../../../src-main/core/drift/profile';
import { validateProfile } from '../../../src-main/core/drift/profile-schema';
import { driftReport } from '../../../src-main/core/drift/report';
import { dayOfYear } from '../../../src-main/core/data/calendar';
import {
  SEASON_MARGIN_DAYS,
  SEASON_MIN_ROWS,
  SEASON_SAMPLE_ROWS,
  seasonalReference,
  seasonSample,
  withSeason,
} from '../../../src-main/core/drift/season';
import { createRng } from '../../../src-main/core/data/rng';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const Y2025 = Date.UTC(2025, 0, 1);
const Y2026 = Date.UTC(2026, 0, 1);

/** Hourly readings from `start` for `days` days: a temperature with a yearly cycle (cold in January) plus noise, and a load following it. */
function year(start: number, days: number, seed: number, warmer = 0): { time: Float64Array; temp: Float64Array; load: Float64Array } {
  const n = days * 24;
  const rng = createRng(seed);
  const time = new Float64Array(n);
  const temp = new Float64Array(n);
  const load = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = start + i * HOUR;
    const season = -Math.cos((2 * Math.PI * dayOfYear(t)) / 365);
    time[i] = t;
    temp[i] = 10 + 12 * season + warmer + 2 * rng.normal();
    load[i] = 50 + 2 * Math.abs(temp[i]! - 18) + rng.normal();
  }
  return { time, temp, load };
}

/** Rows of `y` whose time lies in [from, to). */
function slice(y: ReturnType<typeof year>, from: number, to: number): ReturnType<typeof year> {
  const keep = Array.from(y.time.keys()).filter((i) => y.time[i]! >= from && y.time[i]! < to);
  const pick = (a: Float64Array): Float64Array => Float64Array.from(keep, (i) => a[i]!);
  return { time: pick(y.time), temp: pick(y.temp), load: pick(y.load) };
}

describe('dayOfYear', () => {
  it('counts from 0 on 1 January, in UTC, leap years included', () => {
    expect(dayOfYear(Y2025)).toBe(0);
    expect(dayOfYear(Y2025 + DAY - 1)).toBe(0);
    expect(dayOfYear(Date.UTC(2025, 11, 31, 23))).toBe(364);
    expect(dayOfYear(Date.UTC(2024, 11, 31, 12))).toBe(365);
    expect(dayOfYear(Date.UTC(2024, 2, 1))).toBe(60);
    expect(dayOfYear(Date.UTC(1969, 11, 31, 23, 59))).toBe(364);
  });
});

describe('seasonSample', () => {
  const y = year(Y2025, 365, 1);
  const index = Float64Array.from(y.time.keys());

  it('keeps no sample for less than a seasonal cycle of data', () => {
    const short = slice(y, Y2025, Y2025 + 300 * DAY);
    expect(seasonSample({ temp: short.temp }, short.time, 7)).toBeNull();
    expect(seasonSample({ temp: y.temp }, new Float64Array(y.time.length).fill(Number.NaN), 7)).toBeNull();
  });

  it('samples rows uniformly, each with its own day and values (null where missing), the same for the same seed', () => {
    const withGaps = Float64Array.from(y.temp, (v, i) => (i % 10 === 0 ? Number.NaN : v));
    const s = seasonSample({ index, temp: withGaps }, y.time, 7)!;
    expect(s.days).toHaveLength(SEASON_SAMPLE_ROWS);
    expect(new Set(s.values.index).size).toBe(SEASON_SAMPLE_ROWS);
    s.days.forEach((d, k) => {
      const row = s.values.index![k]!;
      expect(d).toBe(dayOfYear(y.time[row]!));
      expect(s.values.temp![k]).toBe(row % 10 === 0 ? null : y.temp[row]);
    });
    // Uniform over the year: each quarter holds about a quarter of the sample.
    for (let q = 0; q < 4; q++) {
      const inQuarter = s.days.filter((d) => d >= q * 91 && d < (q + 1) * 91).length;
      expect(inQuarter / SEASON_SAMPLE_ROWS).toBeCloseTo(0.25, 1);
    }
    expect(seasonSample({ index, temp: withGaps }, y.time, 7)).toEqual(s);
    expect(seasonSample({ index }, y.time, 8)!.values.index).not.toEqual(s.values.index);
  });
});

describe('seasonalReference', () => {
  const y = year(Y2025, 365, 2);
  const index = Float64Array.from(y.time.keys());
  const season = seasonSample({ index, temp: y.temp }, y.time, 3)!;

  it('matches the sampled readings of the current days and the margin around them, across the new year', () => {
    // 28 December to 3 January: seven days, widened by the margin either side.
    const times = Float64Array.from({ length: 7 * 24 }, (_, i) => Date.UTC(2025, 11, 28) + i * HOUR);
    const ref = seasonalReference(season, times)!;
    // Day 365 (a leap year's last) lies between 364 and 0 in the matching, so it counts too.
    expect(ref.days).toBe(7 + 2 * SEASON_MARGIN_DAYS + 1);
    const days = new Set(Array.from(ref.columns.index!, (row) => dayOfYear(y.time[row]!)));
    for (const d of days) expect(d >= 361 - SEASON_MARGIN_DAYS || d <= 2 + SEASON_MARGIN_DAYS).toBe(true);
    const expected = season.days.filter((d) => d >= 361 - SEASON_MARGIN_DAYS || d <= 2 + SEASON_MARGIN_DAYS).length;
    expect(ref.rows).toBe(expected);
    expect(ref.columns.temp).toHaveLength(expected);
  });

  it('gives nothing for readings across the whole year, without times, or with too few matched readings', () => {
    expect(seasonalReference(season, y.time)).toBeNull();
    expect(seasonalReference(season, new Float64Array([Number.NaN]))).toBeNull();
    const thin = { days: season.days.slice(0, SEASON_MIN_ROWS), values: { temp: season.values.temp!.slice(0, SEASON_MIN_ROWS) } };
    expect(seasonalReference(thin, Float64Array.of(Date.UTC(2025, 5, 1)))).toBeNull();
  });
});

describe('drift against the same weeks of a year of training readings', () => {
  const training = year(Y2025, 365, 11);
  const annual = buildReferenceProfile({ temp: training.temp, load: training.load });
  const profile = withSeason(annual, { temp: training.temp, load: training.load }, training.time);
  const nextYear = year(Y2026, 365, 12);
  const winter = slice(nextYear, Date.UTC(2026, 9, 22), Y2026 + 365 * DAY);
  const warmWinter = slice(year(Y2026, 365, 12, 4), Date.UTC(2026, 9, 22), Y2026 + 365 * DAY);

  it('a winter like last winter does not drift against last winter, though it does against the whole year', () => {
    expect(profile.season?.days).toHaveLength(SEASON_SAMPLE_ROWS);
    expect(annual.season).toBeUndefined();
    // Less than a seasonal cycle of training readings: the profile as it was.
    expect(withSeason(annual, { temp: training.temp.subarray(0, 300 * 24) }, training.time.subarray(0, 300 * 24))).toBe(annual);
    const seasonal = driftReport(profile, { temp: winter.temp, load: winter.load }, THRESHOLDS, { times: winter.time });
    expect(seasonal.referenceSource).toBe('season');
    expect(seasonal.season!.days).toBe(71 + 2 * SEASON_MARGIN_DAYS);
    expect(seasonal.driftedFeatures).toEqual([]);
    const yearly = driftReport(annual, { temp: winter.temp, load: winter.load }, THRESHOLDS, { times: winter.time });
    expect(yearly.referenceSource).toBe('profile');
    expect(yearly.datasetDrift).toBe(true);
    // Without the readings' times the whole year is the reference, as before.
    expect(driftReport(profile, { temp: winter.temp }, THRESHOLDS).referenceSource).toBe('profile');
  });

  it('a winter 4 °C warmer than last winter drifts in temperature and load', () => {
    const r = driftReport(profile, { temp: warmWinter.temp, load: warmWinter.load }, THRESHOLDS, { times: warmWinter.time });
    expect(r.referenceSource).toBe('season');
    expect(r.driftedFeatures).toEqual(['temp', 'load']);
    expect(r.features.find((f) => f.name === 'temp')!.psi).toBeGreaterThan(0.5);
  });

  it('each week of the trend is judged against its own weeks of the training year', () => {
    const current = { temp: winter.temp, load: winter.load };
    const seasonal = driftTrend(profile, current, THRESHOLDS, { by: 'week', timestamps: winter.time });
    const yearly = driftTrend(annual, current, THRESHOLDS, { by: 'week', timestamps: winter.time });
    const assessed = seasonal.chunks.filter((c) => c.assessed);
    expect(assessed.length).toBeGreaterThanOrEqual(9);
    // A week is 168 readings: PSI's noise alone is about 0.07 there, so only its size is asserted.
    for (const c of assessed) for (const f of c.features) expect(f.psi).toBeLessThan(0.25);
    const yearlyAssessed = yearly.chunks.filter((c) => c.assessed);
    expect(yearlyAssessed).toHaveLength(assessed.length);
    for (const c of yearlyAssessed) {
      expect(c.datasetDrift).toBe(true);
      for (const f of c.features) expect(f.psi).toBeGreaterThan(1);
    }
  });

  it('the season sample is stored and read back with the profile, and a damaged one is refused by its path', () => {
    const back = validateProfile(JSON.parse(JSON.stringify(profile)));
    expect(back.season).toEqual(profile.season);
    const damaged = JSON.parse(JSON.stringify(profile)) as { season: { days: number[]; values: Record<string, unknown[]> } };
    damaged.season.days[3] = 400;
    damaged.season.values.load = damaged.season.values.load!.slice(1);
    expect(() => validateProfile(damaged)).toThrow(
      /season\.days\[3\]: must be a day of the year[\s\S]*season\.values\.load: expected 8000 values/,
    );
  });
});
