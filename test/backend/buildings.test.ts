import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { AlertKind } from '../../src-main/contract/shared/alerts';
import { rejection, startTestWorker, tempDir } from '../helpers/backend';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5);
const SPIKE_HOUR = 30 * 24 + 14;

/**
 * Two offices with a known weekly shape (as contextual-views.test.ts): "long"
 * has 40 days of hourly readings, "short" 10 days. Both draw total_kw = 10 on
 * weekdays 8:00–18:00 and 4 otherwise, plus a little noise; "long" has one
 * 40 kW reading at 14:00 on day 30, "short" none.
 */
function csv(dir: string): string {
  const lines = ['timestamp,building_id,outdoor_temp_c,total_kw'];
  for (let h = 0; h < 40 * 24; h++) {
    const t = START + h * HOUR;
    const hour = h % 24;
    const temp = (5 + 5 * Math.sin((2 * Math.PI * hour) / 24)).toFixed(2);
    const weekday = new Date(t).getUTCDay();
    const base = weekday !== 0 && weekday !== 6 && hour >= 8 && hour < 18 ? 10 : 4;
    const noise = (((h * 7919) % 13) - 6) / 60;
    const iso = new Date(t).toISOString();
    lines.push(`${iso},long,${temp},${(h === SPIKE_HOUR ? 40 : base + noise).toFixed(3)}`);
    if (h < 10 * 24) lines.push(`${iso},short,${temp},${(base + noise).toFixed(3)}`);
  }
  const path = join(dir, 'two-buildings.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

let host: WorkerHost;
let registry: string;
let datasetId: string;
/** Flags model.score gave each building's rows (the whole dataset at once). */
const scoredFlags = new Map<string, number>();

beforeAll(async () => {
  const dir = tempDir('gl-buildings-');
  registry = join(dir, 'registry');
  host = startTestWorker(registry);
  const ds = await host.call('data.import', { path: csv(dir) });
  datasetId = ds.id;
  const trained = await host.call('model.train', { datasetId, holdout: 0 });
  expect(trained.params.algorithm).toBe('contextual');
  // The scored CSV says which rows were flagged; the log gets each reading's building.
  const out = join(dir, 'scored.csv');
  const scored = await host.call('model.score', { datasetId, out });
  const { readFileSync } = await import('node:fs');
  const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  for (const r of rows) {
    const cells = r.split(',');
    const b = cells[cols.indexOf('building_id')]!;
    scoredFlags.set(b, (scoredFlags.get(b) ?? 0) + Number(cells[cols.indexOf('is_anomaly')]));
  }
  expect(scored.anomalies).toBe([...scoredFlags.values()].reduce((a, b) => a + b, 0));
}, 120_000);

afterAll(async () => {
  await host.close();
});

describe('buildings.list', () => {
  it('offers the logged buildings and the dataset’s ids', async () => {
    expect(await host.call('buildings.list', { datasetId })).toEqual({ logged: ['long', 'short'], dataset: ['long', 'short'] });
    expect(await host.call('buildings.list', {})).toEqual({ logged: ['long', 'short'], dataset: null });
  });
});

describe('buildings.readings', () => {
  it('draws one building with the contextual baseline and its flags, the same flags scoring the whole dataset gave', async () => {
    const r = await host.call('buildings.readings', { datasetId, building: 'long', maxPoints: 5_000 });
    expect(r).toMatchObject({ building: 'long', column: 'total_kw', rows: 960, algorithm: 'contextual', downsampled: false });
    expect(r.fromMs).toBe(START);
    expect(r.toMs).toBe(START + (960 - 1) * HOUR);
    expect(r.readings.x).toHaveLength(960);
    expect(r.expectedNote).toBeNull();
    expect(r.flagged).toBe(scoredFlags.get('long'));
    // The spike is flagged, and the baseline expected an office-hours load there, not 40.
    const spikeAt = START + SPIKE_HOUR * HOUR;
    expect(r.flags).toContainEqual({ x: spikeAt, y: 40 });
    const e = r.expected!;
    const expectedAtSpike = e.y[e.x.indexOf(spikeAt)]!;
    expect(expectedAtSpike).toBeGreaterThan(8);
    expect(expectedAtSpike).toBeLessThan(12);
    // At 3:00 on a weekday the building is closed: expected about 4.
    const night = START + (31 * 24 + 3) * HOUR;
    expect(Math.abs(e.y[e.x.indexOf(night)]! - 4)).toBeLessThan(1);

    const short = await host.call('buildings.readings', { datasetId, building: 'short' });
    expect(short.rows).toBe(240);
    expect(short.flagged).toBe(scoredFlags.get('short'));
  });

  it('thins a long range to the point budget and keeps each bucket’s extremes', async () => {
    const full = await host.call('buildings.readings', { datasetId, building: 'long', maxPoints: 5_000 });
    const thin = await host.call('buildings.readings', { datasetId, building: 'long', maxPoints: 100 });
    expect(thin.downsampled).toBe(true);
    expect(thin.readings.x.length).toBeLessThanOrEqual(100);
    expect(thin.expected!.x.length).toBeLessThanOrEqual(100);
    expect(Math.max(...thin.readings.y)).toBe(40);
    expect(Math.min(...thin.readings.y)).toBe(Math.min(...full.readings.y));
    expect(Math.min(...thin.expected!.y)).toBe(Math.min(...full.expected!.y));
    // Points stay in time order, and the flags are not thinned by the line's budget.
    expect(thin.readings.x).toEqual([...thin.readings.x].sort((a, b) => a - b));
    expect(thin.flagged).toBe(full.flagged);
  });

  it('says expected load needs the contextual detector for a forest version, and refuses an unknown building', async () => {
    const forest = await host.call('model.train', { datasetId, holdout: 0, algorithm: 'isolation-forest' });
    const r = await host.call('buildings.readings', { datasetId, building: 'long', version: forest.version });
    expect(r.algorithm).toBe('isolation-forest');
    expect(r.expected).toBeNull();
    expect(r.expectedNote).toBe(
      `Expected load needs the contextual detector: ${forest.model} ${forest.version} is an Isolation Forest, which flags readings without predicting a baseline.`,
    );
    expect(r.flagged).toBeGreaterThan(0);
    const e = await rejection(host.call('buildings.readings', { datasetId, building: 'nowhere' }));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('Dataset "two-buildings" has no building "nowhere".');
  });
});

describe('drift.report for one building', () => {
  it('keeps only that building’s logged readings and says the reference is the fleet’s', async () => {
    const short = await host.call('drift.report', { current: { lastN: 10_000, scope: 'model' }, building: 'short', chunkBy: 'none' });
    expect(short.current.rows).toBe(240);
    expect(short.building).toEqual({ id: 'short', reference: 'fleet' });
    expect(short.current.kind === 'log' && short.current.window).toContain('for building short');
    const long = await host.call('drift.report', { current: { lastN: 200, scope: 'model' }, building: 'long', chunkBy: 'none' });
    expect(long.current.rows).toBe(200);
    // The last 200 of "long" end at its last reading.
    expect(long.current.kind === 'log' && long.current.toMs).toBe(START + (960 - 1) * HOUR);
    // The last 100 hourly readings are four days: the window reaches back a week (169 readings) and keeps 100 of them.
    const week = await host.call('drift.report', { current: { lastN: 100, scope: 'model' }, building: 'long', chunkBy: 'none' });
    expect(week.current).toMatchObject({ kind: 'log', rows: 100, sampledEvery: 1.7 });
    const weekFrom = week.current.kind === 'log' ? week.current.fromMs! : NaN;
    expect(weekFrom).toBeGreaterThanOrEqual(START + (960 - 169) * HOUR);
    expect(weekFrom).toBeLessThan(START + (960 - 100) * HOUR);
    expect(week.current.kind === 'log' && week.current.window).toBe(
      'last 100 predictions of energy-anomaly (all versions) for building long, widened to a week of readings (they spanned less)',
    );
    const fleet = await host.call('drift.report', { current: { lastN: 10_000, scope: 'model' }, chunkBy: 'none' });
    expect(fleet.current.rows).toBe(1_200);
    expect(fleet.building).toBeUndefined();
    const range = await host.call('drift.report', {
      current: { fromMs: START, toMs: START + 5 * 24 * HOUR, scope: 'model' },
      building: 'long',
      chunkBy: 'none',
    });
    expect(range.current.rows).toBe(120);
    const ds = await host.call('drift.report', { current: { datasetId }, building: 'short', chunkBy: 'none' });
    expect(ds.current.rows).toBe(240);
    const e = await rejection(host.call('drift.report', { current: { lastN: 100 }, building: 'nowhere' }));
    expect(e.message).toBe('No logged reading belongs to building "nowhere".');
  });
});

describe('buildings.detail', () => {
  it('counts, ranks and trends one building’s logged readings, with its alerts and the rules that reach it', async () => {
    const rule = (id: string, kind: AlertKind, threshold: number, building?: string) => ({
      id,
      kind,
      enabled: true,
      severity: 'warning' as const,
      threshold,
      minDurationMs: 0,
      cooldownMs: 0,
      ...(building ? { building } : {}),
    });
    await host.call('alerts.saveRules', {
      formatVersion: 1,
      rules: [
        rule('long-rate', 'building-anomaly-rate', 0.01, 'long'),
        rule('short-rate', 'building-anomaly-rate', 0.01, 'short'),
        rule('any-rate', 'building-anomaly-rate', 0.5),
        rule('fleet-rate', 'anomaly-rate', 0.5),
      ],
    });
    const open = (id: string, rule: string, kind: string, subject: string) =>
      JSON.stringify({
        type: 'open',
        id,
        time: '2026-12-01T00:00:00.000Z',
        rule,
        kind,
        severity: 'warning',
        model: 'energy-anomaly',
        subject,
        value: 0.9,
        threshold: 0.5,
        message: `${subject} high`,
      });
    mkdirSync(join(registry, 'alerts'), { recursive: true });
    writeFileSync(
      join(registry, 'alerts', 'events.ndjson'),
      [
        open('a1', 'long-rate', 'building-anomaly-rate', 'long'),
        open('a2', 'short-rate', 'building-anomaly-rate', 'short'),
        open('a3', 'fleet-rate', 'anomaly-rate', 'energy-anomaly'),
      ].join('\n') + '\n',
    );
    const long = await host.call('buildings.detail', { building: 'long' });
    const short = await host.call('buildings.detail', { building: 'short' });
    const flagsLong = scoredFlags.get('long')!;
    const flagsShort = scoredFlags.get('short')!;
    expect(long).toMatchObject({
      readings: 960,
      anomalies: flagsLong,
      buildings: 2,
      dataTimeRange: { fromMs: START, toMs: START + 959 * HOUR },
    });
    expect(short).toMatchObject({ readings: 240, anomalies: flagsShort, buildings: 2 });
    expect(long.anomalyRate).toBeCloseTo(flagsLong / 960, 12);
    expect(long.fleetRate).toBeCloseTo((flagsLong + flagsShort) / 1200, 12);
    expect(long.rank).toBe(flagsLong >= flagsShort ? 1 : 2);
    // 40 days of hours fit in 500 buckets at 2 hours each; the trend adds up to the building's counts.
    expect(long.trend.bucketMs).toBe(2 * HOUR);
    expect(long.trend.points.reduce((s, p) => s + p.predictions, 0)).toBe(960);
    expect(long.trend.points.reduce((s, p) => s + p.anomalies, 0)).toBe(flagsLong);
    expect(long.driftScore).not.toBeNull();
    expect(long.rules.map((r) => [r.rule.id, r.scope])).toEqual([
      ['long-rate', 'building'],
      ['any-rate', 'each-building'],
      ['fleet-rate', 'fleet'],
    ]);
    expect(long.alerts.map((a) => a.id)).toEqual(['a1']);
    expect(short.alerts.map((a) => a.id)).toEqual(['a2']);
    expect(long.fleetAlerts.map((a) => a.id)).toEqual(['a3']);
    // A data-time window narrows every figure.
    const firstDays = await host.call('buildings.detail', { building: 'long', fromMs: START, toMs: START + 5 * 24 * HOUR });
    expect(firstDays.readings).toBe(120);
  });
});
