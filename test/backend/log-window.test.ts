import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  lastReadings,
  MAX_WINDOW_ROWS,
  MIN_WINDOW_SPAN_MS,
  rangeReadings,
  type LogWindow,
} from '../../src-main/backend/monitoring/log-window';
import { DAY_MS } from '../../src-main/core/data/calendar';
import { PredictionLog } from '../../src-main/core/monitoring/prediction-log';
import { tempDir } from '../core/registry/helpers/temp';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 6);
const MODEL = 'energy-anomaly';
/** One reading per building and hour; `kw` says which (building·10,000 + hour), so a window shows what it kept. */
const kwOf = (building: number, hour: number): number => building * 10_000 + hour;

let log: PredictionLog;
beforeEach(async () => {
  log = await PredictionLog.open(await tempDir('gl-window-'));
});
afterEach(async () => {
  await log.close();
});

/** `days` of hourly readings of `buildings` buildings, one request per day, hour by hour (all buildings of an hour together). */
async function logFleet(buildings: number, days: number, version = (_day: number) => '1.0.0'): Promise<void> {
  for (let day = 0; day < days; day++) {
    const n = 24 * buildings;
    const kw = new Float64Array(n);
    const rowTimes = new Float64Array(n);
    const buildingSlots = new Uint16Array(n);
    for (let h = 0; h < 24; h++) {
      for (let b = 1; b <= buildings; b++) {
        const i = h * buildings + b - 1;
        const hour = day * 24 + h;
        kw[i] = kwOf(b, hour);
        rowTimes[i] = START + hour * HOUR;
        buildingSlots[i] = b;
      }
    }
    await log.append({
      model: MODEL,
      version: version(day),
      features: ['kw'],
      requestId: `day-${day}`,
      time: START + (day + 1) * DAY_MS,
      latencyMs: 1,
      scores: new Float64Array(n).fill(0.4),
      flags: new Uint8Array(n),
      values: [kw],
      rowTimes,
      buildingSlots,
    });
  }
}

const span = (w: LogWindow): number => w.time[w.rows - 1]! - w.time[0]!;
const lastHour = (days: number): number => days * 24 - 1;

/** The buildings a window holds, with how many readings of each. */
function perBuilding(w: LogWindow): Map<number, number> {
  const counts = new Map<number, number>();
  for (const kw of w.features.kw!) counts.set(Math.floor(kw / 10_000), (counts.get(Math.floor(kw / 10_000)) ?? 0) + 1);
  return counts;
}

/** Log order kept, and every reading inside [last − a week, last]. */
function expectWithinAWeek(w: LogWindow, last: number): void {
  for (let i = 1; i < w.rows; i++) expect(w.time[i]!).toBeGreaterThanOrEqual(w.time[i - 1]!);
  expect(w.time[0]!).toBeGreaterThanOrEqual(last - MIN_WINDOW_SPAN_MS);
  expect(w.time[w.rows - 1]!).toBeLessThanOrEqual(last);
}

describe('lastReadings: a count window holds at least a week of data time', () => {
  it('keeps the last n as they are when they span a week', async () => {
    await logFleet(10, 30);
    const w = await lastReadings(log, 2_000, { model: MODEL, columns: ['kw'] });
    expect([w.rows, w.sampledEvery, w.widened]).toEqual([2_000, 1, false]);
    expect(w.features.kw![w.rows - 1]).toBe(kwOf(10, lastHour(30)));
    expect(span(w)).toBe(199 * HOUR);
  });

  it('reaches back a week when the last n span less, and keeps n of it at random, every building alike', async () => {
    await logFleet(10, 30);
    // The last 1,000 readings are 100 hours; a week back from the last reading is 168 hours × 10 buildings + 1 reading.
    const w = await lastReadings(log, 1_000, { model: MODEL, columns: ['kw'] });
    expect([w.rows, w.sampledEvery, w.widened]).toEqual([1_000, 1.7, true]);
    expectWithinAWeek(w, START + lastHour(30) * HOUR);
    expect(span(w)).toBeGreaterThan(MIN_WINDOW_SPAN_MS - 6 * HOUR);
    // Not every 2nd reading: that would be the even buildings only, since the log goes hour by hour.
    expect([...perBuilding(w).keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const count of perBuilding(w).values()) expect(Math.abs(count - 100)).toBeLessThan(40);
    // Seeded: the same log gives the same window.
    const again = await lastReadings(log, 1_000, { model: MODEL, columns: ['kw'] });
    expect(again.features.kw).toEqual(w.features.kw);
  });

  it('reads further back as often as it must (a fleet whose last n are a few hours)', async () => {
    await logFleet(50, 10);
    const w = await lastReadings(log, 200, { model: MODEL, columns: ['kw'] });
    expect([w.rows, w.widened]).toEqual([200, true]);
    expectWithinAWeek(w, START + lastHour(10) * HOUR);
    expect(span(w)).toBeGreaterThan(MIN_WINDOW_SPAN_MS - DAY_MS);
  });

  it('samples the whole log when all of it spans less than a week', async () => {
    await logFleet(10, 3);
    const w = await lastReadings(log, 100, { model: MODEL, columns: ['kw'] });
    expect([w.rows, w.sampledEvery, w.widened]).toEqual([100, 7.2, true]);
    expect(span(w)).toBeGreaterThan(2 * DAY_MS);
  });

  it('widens one building’s window and a window across versions the same way', async () => {
    await logFleet(10, 30, (day) => (day < 20 ? '1.0.0' : '1.1.0'));
    const one = await lastReadings(log, 50, { model: MODEL, building: 3, columns: ['kw'] });
    // 169 hourly readings of building 3 span the week; 50 of them kept.
    expect([one.rows, one.sampledEvery, one.widened]).toEqual([50, 3.4, true]);
    expect([...perBuilding(one).keys()]).toEqual([3]);
    expectWithinAWeek(one, START + lastHour(30) * HOUR);
    // Version 1.1.0 alone, across the versions' boundary in the log: its own readings only, still a week.
    const v = await lastReadings(log, 500, { model: MODEL, version: '1.1.0', columns: ['kw'] });
    expect([v.rows, v.widened, v.versions]).toEqual([500, true, ['1.1.0']]);
    expectWithinAWeek(v, START + lastHour(30) * HOUR);
    expect(span(v)).toBeGreaterThan(MIN_WINDOW_SPAN_MS - DAY_MS);
    // Long enough already: untouched.
    const long = await lastReadings(log, 400, { model: MODEL, building: 3, columns: ['kw'] });
    expect([long.rows, long.sampledEvery, long.widened]).toEqual([400, 1, false]);
  });
});

describe('a time range beyond the cap', () => {
  it('keeps MAX_WINDOW_ROWS drawn at random from the whole range, in log order, and says about 1 in how many', async () => {
    // 2,100,000 readings in 21 requests of 100,000, the same 3 buildings over and over.
    const per = 100_000;
    for (let r = 0; r < 21; r++) {
      const kw = new Float64Array(per);
      for (let i = 0; i < per; i++) kw[i] = (i % 3) + 1;
      await log.append({
        model: MODEL,
        version: '1.0.0',
        features: ['kw'],
        requestId: `r-${r}`,
        time: START + r * HOUR,
        latencyMs: 1,
        scores: new Float64Array(per),
        flags: new Uint8Array(per),
        values: [kw],
      });
    }
    const w = await rangeReadings(log, START, START + 21 * HOUR, { model: MODEL, columns: ['kw'] });
    expect([w.rows, w.sampledEvery]).toEqual([MAX_WINDOW_ROWS, 1.1]);
    // Every request and every building in it, about in proportion.
    const perBuilding = [0, 0, 0];
    for (const kw of w.features.kw!) perBuilding[kw - 1]!++;
    for (const count of perBuilding) expect(Math.abs(count - MAX_WINDOW_ROWS / 3)).toBeLessThan(3_000);
    expect(w.time[0]).toBe(START);
    expect(w.time[w.rows - 1]).toBe(START + 20 * HOUR);
  }, 60_000);
});
