import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { BackendState } from '../../src-main/backend/state';
import { DEFAULT_SETTINGS, mergeSettings } from '../../src-main/contract/settings';
import { Registry } from '../../src-main/core/registry';
import { buildReferenceProfile } from '../../src-main/core/drift/profile';
import { startTestWorker, tempDir } from '../helpers/backend';
import { getColumn, numericValues } from '../../src-main/core/data/table';
import { buildFixture, columnsOf, logScenario, MODEL, sinkState, type Fixture } from './monitoring-fixture';

/**
 * Drift, performance, health and pruning through the real worker, on a temp
 * registry whose predictions are logged step by step: first readings like the
 * training data, then a heatwave, then a second version.
 */
let fx: Fixture;
let sink: BackendState;
let worker: WorkerHost;
let baselineRows = 0;

beforeAll(async () => {
  const dir = tempDir('gl-monitoring-');
  fx = await buildFixture(dir);
  sink = sinkState(dir);
  worker = startTestWorker(dir);
});
afterAll(async () => {
  await worker.close();
});

describe('monitoring ops through the worker', () => {
  it('before anything is logged: health is healthy with nothing to judge, and says to score data', async () => {
    const h = await worker.call('monitoring.health', {});
    expect(h.version).toBe(fx.version);
    expect(h.status).toBe('healthy');
    expect(h.drift).toBeNull();
    expect(h.loggedPredictions).toBe(0);
    expect(h.recommendations.join(' ')).toMatch(/score data/i);
  });

  it('no drift: 10,000 readings like the training data flag nothing at default settings', async () => {
    baselineRows = await logScenario(sink, fx, 'none');
    expect(baselineRows).toBeGreaterThan(10_000);
    const r = await worker.call('drift.report', { current: { lastN: 10_000 } });
    expect(r.current.rows).toBe(10_000);
    expect(r.reference).toMatchObject({ kind: 'profile', model: MODEL, version: fx.version });
    expect(r.features.map((f) => f.name)).toEqual([
      'outdoor_temp_c',
      'humidity_pct',
      'occupancy',
      'hvac_kw',
      'lighting_kw',
      'plug_load_kw',
      'total_kw',
    ]);
    expect(r.driftedFeatures).toEqual([]);
    expect(r.datasetDrift).toBe(false);
    for (const f of r.features) expect(f.psi).toBeLessThan(0.05);
    expect(r.trend).not.toBeNull();
    expect(r.trend!.chunks.length).toBeGreaterThan(1);
    expect(r.trend!.chunks.length).toBeLessThanOrEqual(2000);

    const h = await worker.call('monitoring.health', {});
    expect(h.drift).not.toBeNull();
    expect(h.drift!.rows).toBe(10_000);
    expect(h.drift!.driftedFeatures).toEqual([]);
    expect(h.performance!.anomalyRate).toBeLessThan(0.05);
    expect(h.status).toBe('healthy');
    expect(h.reasons).toEqual([]);
    expect(h.recommendations.join(' ')).toMatch(/No action needed/);
  });

  it('performance: per-request latency, anomaly rate, hourly trend and accuracy from the log', async () => {
    const p = await worker.call('monitoring.performance', {});
    expect(p.predictions).toBe(baselineRows);
    expect(p.requests).toBe(Math.ceil(baselineRows / 240));
    // Latencies cycle through 4…8 ms, one per request.
    expect(p.latency!.p50Ms).toBeGreaterThanOrEqual(4);
    expect(p.latency!.p99Ms).toBeLessThanOrEqual(8);
    expect(p.anomalyRate).toBeGreaterThanOrEqual(0);
    expect(p.trend.points.length).toBeGreaterThan(0);
    expect(p.trend.points.length).toBeLessThanOrEqual(2000);
    expect(p.trend.points.reduce((s, x) => s + x.predictions, 0)).toBe(baselineRows);
    // The counts trend follows the readings' own timestamps (84 simulated days), not the
    // minute-apart scoring requests; latency stays on the scoring clock.
    const dataTimes = numericValues(getColumn(fx.baseline, 'timestamp')!).filter((_, i) => fx.trainMask[i] === 0);
    const first = Math.min(...dataTimes);
    const lastTime = Math.max(...dataTimes);
    expect(p.dataTimeRange).toEqual({ fromMs: first, toMs: lastTime });
    expect(p.trend.points[0]!.startMs).toBe(Math.floor(first / 3_600_000) * 3_600_000);
    expect(p.trend.points.at(-1)!.endMs).toBeGreaterThan(lastTime);
    expect(p.trend.points.at(-1)!.startMs - p.trend.points[0]!.startMs).toBeGreaterThan(80 * 86_400_000);
    expect(p.latencyTrend.points[0]!.startMs).toBeLessThanOrEqual(p.timeRange!.fromMs);
    expect(p.latencyTrend.points.reduce((s, x) => s + x.requests, 0)).toBe(p.requests);
    expect(p.latencyTrend.points.at(-1)!.endMs - p.latencyTrend.points[0]!.startMs).toBeLessThan(6 * 3_600_000);
    expect(p.classification!.labelled).toBe(baselineRows);
    expect(p.byVersion).toHaveLength(1);
    expect(p.log).toMatchObject({ records: baselineRows, tornRecords: 0 });
    const last = await worker.call('monitoring.performance', { lastN: 480 });
    expect(last.predictions).toBe(480);
    expect(last.requests).toBe(baselineRows % 240 === 0 ? 2 : 3); // the newest request may be partial
  });

  it('a Settings change of thresholds affects the next report', async () => {
    worker.setSettings(mergeSettings(DEFAULT_SETTINGS, { thresholds: { psi: 0.001 } }));
    try {
      const strict = await worker.call('drift.report', { current: { lastN: 10_000 }, chunkBy: 'none' });
      expect(strict.thresholds.psi).toBe(0.001);
      expect(strict.driftedFeatures.length).toBeGreaterThan(0);
      expect(strict.trend).toBeNull();
      const h = await worker.call('monitoring.health', {});
      expect(h.status).not.toBe('healthy');
    } finally {
      worker.setSettings(DEFAULT_SETTINGS);
    }
    const back = await worker.call('drift.report', { current: { lastN: 10_000 }, chunkBy: 'none' });
    expect(back.driftedFeatures).toEqual([]);
  });

  it('heatwave: outdoor_temp_c and hvac_kw drift, and health warns with a recommendation naming a drifted feature', async () => {
    await logScenario(sink, fx, 'heatwave');
    const r = await worker.call('drift.report', { current: { lastN: 10_000 } });
    expect(r.driftedFeatures).toEqual(expect.arrayContaining(['outdoor_temp_c', 'hvac_kw']));
    for (const name of ['humidity_pct', 'occupancy', 'lighting_kw', 'plug_load_kw']) expect(r.driftedFeatures).not.toContain(name);
    const temp = r.features.find((f) => f.name === 'outdoor_temp_c')!;
    expect(temp.psi).toBeGreaterThan(1);
    expect(temp.firedTests).toContain('psi');
    expect(temp.reasons.length).toBeGreaterThan(0);
    expect(temp.referenceHistogram.edges).toEqual(temp.currentHistogram.edges);
    expect(r.alerts.some((a) => a.includes('outdoor_temp_c'))).toBe(true);

    const h = await worker.call('monitoring.health', {});
    expect(['warning', 'critical']).toContain(h.status);
    expect(h.drift!.driftedFeatures).toEqual(expect.arrayContaining(['outdoor_temp_c', 'hvac_kw']));
    expect(h.recommendations.some((line) => /outdoor_temp_c|hvac_kw/.test(line))).toBe(true);
    expect(h.alerts.some((a) => a.feature === 'outdoor_temp_c')).toBe(true);
    // The advice is in data time: the drifted readings span weeks of data, scored within the last hour.
    const days = Number(/Retrain on the last (\d+) days/.exec(h.recommendations.join(' '))?.[1]);
    expect(days).toBeGreaterThanOrEqual(28);
  });

  it('a time-range window and a loaded dataset can be the current data', async () => {
    const p = await worker.call('monitoring.performance', {});
    const range = await worker.call('drift.report', {
      current: { fromMs: p.timeRange!.fromMs, toMs: p.timeRange!.toMs + 1, time: 'scoring' },
      chunkBy: 'day',
    });
    expect(range.current.rows).toBe(p.predictions);
    expect(range.trend!.by).toBe('day');
    // By default a range is in data time: the readings' own timestamps (weeks in 2025), not when they were scored (now).
    const week = { fromMs: Date.UTC(2025, 0, 13), toMs: Date.UTC(2025, 0, 20) };
    const byData = await worker.call('drift.report', { current: { fromMs: week.fromMs, toMs: week.toMs }, chunkBy: 'day' });
    expect(byData.current).toMatchObject({ kind: 'log' });
    expect(byData.current.rows).toBeGreaterThan(0);
    expect(byData.current.rows).toBeLessThan(p.predictions);
    if (byData.current.kind !== 'log') throw new Error('expected a log window');
    expect(byData.current.fromMs).toBeGreaterThanOrEqual(week.fromMs);
    expect(byData.current.toMs).toBeLessThan(week.toMs);
    expect(byData.current.window).toContain('with readings dated from 2025-01-13T00:00:00.000Z to 2025-01-20T00:00:00.000Z (UTC)');
    const ds = await worker.call('data.simulate', { buildings: 10, days: 42, seed: 7, drift: 'heatwave' });
    const r = await worker.call('drift.report', { current: { datasetId: ds.id } });
    expect(r.current).toMatchObject({ kind: 'dataset', rows: ds.rows });
    expect(r.driftedFeatures).toContain('outdoor_temp_c');
  });

  it('rejects contradictory or empty requests with clear errors', async () => {
    await expect(worker.call('drift.report', { version: '1.0.0', alias: 'production', current: { lastN: 100 } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(worker.call('drift.report', { version: '9.9.9', current: { lastN: 100 } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(worker.call('drift.report', { current: { lastN: 100 }, features: ['nope'] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('prune applies the hot window now: whole segments outside it go, the newest is compacted to the hot window', async () => {
    // A second version starts a new segment; the first one (baseline + heatwave) is then prunable.
    const registry = await Registry.open(fx.dir);
    const train = columnsOf(fx.baseline, fx.trainMask, 1);
    const v2 = await registry.registerVersion({
      model: MODEL,
      params: { trees: 50 },
      metrics: {},
      trainingData: { rows: 1, columns: ['x'], sha256: 'a'.repeat(64) },
      artifact: '{}',
      reference: buildReferenceProfile(train),
    });
    await logScenario(sink, fx, 'none', { version: v2.version, limit: 500, perRequest: 100 });
    const before = await worker.call('monitoring.logStats', {});
    expect(before.segments).toBe(2);
    expect(before.versions.map((v) => v.version)).toEqual([fx.version, v2.version]);

    const h = await worker.call('monitoring.health', {});
    expect(h.version).toBe(v2.version); // the newest version, no production alias set

    worker.setSettings(mergeSettings(DEFAULT_SETTINGS, { monitoring: { hotWindow: 100 } }));
    try {
      // The confirmation's dry run names exactly what the prune then removes, and removes nothing itself.
      const plan = await worker.call('monitoring.prunePreview', {});
      // The first segment goes whole; 400 of the newest segment's 500 go too, by compaction.
      expect(plan).toMatchObject({ removedSegments: 1, compactedSegments: 1, removedRecords: before.records - 100, keptRecords: 100 });
      expect(plan.freedBytes + plan.keptBytes).toBe(before.bytes);
      expect(plan.fromMs).toBeLessThanOrEqual(plan.toMs!);
      expect((await worker.call('monitoring.logStats', {})).records).toBe(before.records);
      const r = await worker.call('monitoring.prune', {});
      expect(r).toMatchObject({ removedSegments: 1, compactedSegments: 1, removedRecords: before.records - 100 });
      expect(r.freedBytes).toBe(plan.freedBytes);
      expect(r.log).toMatchObject({ segments: 1, records: 100, bytes: before.bytes - plan.freedBytes });
      expect(r.log.bytes).toBe(plan.keptBytes);
      expect(r.policy).toEqual({ keepLast: 100, olderThanMs: null });
    } finally {
      worker.setSettings(DEFAULT_SETTINGS);
    }
  });
});
