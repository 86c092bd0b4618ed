import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { percentiles } from '../../../src-main/core/monitoring/percentile';
import { quantileSorted } from '../../../src-main/core/stats/quantile';
import {
  classificationMetrics,
  latencyStats,
  logLatencyStats,
  summarizeLog,
  summarizePerformance,
} from '../../../src-main/core/monitoring/performance';
import { PredictionLog, type PredictionBatch } from '../../../src-main/core/monitoring/prediction-log';

/** numpy.percentile(a, p) with the default linear method, by full sort: the oracle is the one quantile rule of core/stats. */
function numpyPercentile(values: number[], p: number): number {
  return quantileSorted(Float64Array.from(values).sort(), p / 100);
}

describe('percentiles (numpy linear)', () => {
  it('matches numpy on a hand-made latency list', () => {
    // numpy.percentile([12,7,3,30,18,5,9,41,22,14], [25,50,95,99]) → [7.5, 13, 36.05, 40.01]
    const [p25, p50, p95, p99] = percentiles([12, 7, 3, 30, 18, 5, 9, 41, 22, 14], [25, 50, 95, 99]);
    expect(p25).toBeCloseTo(7.5, 12);
    expect(p50).toBeCloseTo(13, 12);
    expect(p95).toBeCloseTo(36.05, 12);
    expect(p99).toBeCloseTo(40.01, 12);
    const [p0, p95of10, p100] = percentiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 95, 100]);
    expect(p0).toBe(1);
    expect(p95of10).toBeCloseTo(9.55, 12);
    expect(p100).toBe(10);
    expect(percentiles([42], [50, 99])).toEqual([42, 42]);
    expect(percentiles([], [50])[0]).toBeNaN();
    expect(percentiles([3, Number.NaN, 1], [50])).toEqual([2]);
  });

  it('equals the sorting oracle for any input, including many ties and large arrays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 3000,
        }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (values, ps) => {
          const got = percentiles(values, ps);
          // + 0 makes −0 and +0 one value: selection, unlike sorting, does not order them, and they are equal.
          ps.forEach((p, i) => expect(got[i]! + 0).toBe(numpyPercentile(values, p) + 0));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the percentile of −0 and +0 ties as zero, whichever sign selection leaves (fast-check seed 718237233)', () => {
    for (const p of [0, 25, 50, 100]) {
      expect(percentiles([-0, 0], [p])[0]! + 0).toBe(0);
      expect(percentiles([0, -0, 0, -0, 1], [p])[0]! + 0).toBe(numpyPercentile([0, -0, 0, -0, 1], p) + 0);
    }
  });

  it('latencyStats gives mean, nearest-rank percentiles (values a request had) and max', () => {
    // Sorted: 3 5 7 9 12 14 18 22 30 41; nearest rank ⌈p·n/100⌉: p50 → 5th, p95 → 10th, p99 → 10th.
    expect(latencyStats([12, 7, 3, 30, 18, 5, 9, 41, 22, 14])).toEqual({
      requests: 10,
      meanMs: 16.1,
      p50Ms: 12,
      p95Ms: 41,
      p99Ms: 41,
      maxMs: 41,
    });
    // The p50 of two requests is one of them, not the 5 ms in between.
    expect(latencyStats([4, 6])).toMatchObject({ p50Ms: 4, p95Ms: 6 });
    expect(latencyStats([])).toBeNull();
  });
});

describe('classificationMetrics', () => {
  it('counts a tiny labelled set, skipping unknown labels', () => {
    // flag:  1 1 1 0 0 0 1 0
    // label: 1 1 0 1 0 0 -1 -1   → tp 2, fp 1, fn 1, tn 2
    const m = classificationMetrics([1, 1, 1, 0, 0, 0, 1, 0], [1, 1, 0, 1, 0, 0, -1, -1])!;
    expect(m).toMatchObject({ labelled: 6, truePositives: 2, falsePositives: 1, falseNegatives: 1, trueNegatives: 2 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    const skewed = classificationMetrics([1, 0, 0, 0], [1, 1, 1, 0])!;
    expect(skewed.precision).toBe(1);
    expect(skewed.recall).toBeCloseTo(1 / 3, 12);
    expect(skewed.f1).toBeCloseTo(0.5, 12);
    expect(classificationMetrics([0, 0], [0, 0])).toMatchObject({ precision: null, recall: null, f1: null });
    expect(classificationMetrics([1], [-1])).toBeNull();
  });
});

describe('performance summaries over the log', () => {
  let dir: string;
  let log: PredictionLog;
  const HOUR = 3_600_000;
  const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);

  function batch(time: number, latencyMs: number, flags: number[], over: Partial<PredictionBatch> = {}): PredictionBatch {
    const n = flags.length;
    return {
      model: 'm',
      version: '1.0.0',
      features: ['x'],
      requestId: `r-${time}`,
      time,
      latencyMs,
      scores: new Float64Array(n).fill(0.5),
      flags: Uint8Array.from(flags),
      values: [new Float64Array(n)],
      ...over,
    };
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gl-perf-'));
    log = await PredictionLog.open(dir);
  });

  afterEach(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('computes per-request latency, throughput, anomaly rate and hourly buckets', async () => {
    // Hour 0: two requests (4 readings, 1 flagged, latencies 10 and 30); hour 2: one request of 6 readings, 3 flagged, latency 20.
    await log.append(batch(T0 + 60_000, 10, [1, 0, 0]));
    await log.append(batch(T0 + 120_000, 30, [0]));
    await log.append(batch(T0 + 2 * HOUR + 5_000, 20, [1, 1, 1, 0, 0, 0]));
    const s = summarizePerformance(await log.readLast(100));

    expect(s.predictions).toBe(10);
    expect(s.requests).toBe(3);
    expect(s.anomalies).toBe(4);
    expect(s.anomalyRate).toBeCloseTo(0.4, 12);
    // Per request: [10, 30, 20], not per reading (which would weight the 6-reading request 6×); all are online (≤ 10 readings).
    expect(s.latency).toEqual({ requests: 3, meanMs: 20, p50Ms: 20, p95Ms: 30, p99Ms: 30, maxMs: 30 });
    expect(s.readingLatency).toBeNull();
    // Busy time: 10 + 30 + 20 ms of scoring, not the two hours between the first and last request.
    expect(s.throughputPerSec).toBeCloseTo(10 / 0.06, 9);
    expect(s.timeRange).toEqual({ fromMs: T0 + 60_000, toMs: T0 + 2 * HOUR + 5_020 });
    // No reading times given: each reading's time is its request's, so both clocks agree here.
    expect(s.trend.bucketMs).toBe(HOUR);
    expect(s.trend.points).toEqual([
      { startMs: T0, endMs: T0 + HOUR, predictions: 4, anomalies: 1 },
      { startMs: T0 + 2 * HOUR, endMs: T0 + 3 * HOUR, predictions: 6, anomalies: 3 },
    ]);
    expect(s.latencyTrend.points).toEqual([
      { startMs: T0, endMs: T0 + HOUR, requests: 2, predictions: 4, latencyMeanMs: 20, latencyP95Ms: 30 },
      { startMs: T0 + 2 * HOUR, endMs: T0 + 3 * HOUR, requests: 1, predictions: 6, latencyMeanMs: 20, latencyP95Ms: 20 },
    ]);
    expect(s.dataTimeRange).toEqual({ fromMs: T0 + 60_000, toMs: T0 + 2 * HOUR + 5_000 });
    expect(s.classification).toBeNull();
    expect(await summarizeLog(log)).toEqual(s);
    expect(logLatencyStats(log)).toEqual(s.latency);
    expect(Array.from(log.requestLatencies({ last: 7 }))).toEqual([30, 20]);
  });

  it('downsamples long trends to at most maxTrendPoints buckets of whole hours', async () => {
    for (let h = 0; h < 50; h++) await log.append(batch(T0 + h * HOUR, h, [h % 2]));
    const s = await summarizeLog(log, { maxTrendPoints: 20 });
    expect(s.trend.bucketMs).toBe(3 * HOUR);
    expect(s.trend.points).toHaveLength(17);
    expect(s.trend.points[0]).toMatchObject({ startMs: T0, predictions: 3, anomalies: 1 });
    expect(s.trend.points[16]).toMatchObject({ startMs: T0 + 48 * HOUR, predictions: 2, anomalies: 1 });
    expect(s.trend.points.reduce((a, p) => a + p.predictions, 0)).toBe(50);
    expect(s.latencyTrend.bucketMs).toBe(3 * HOUR);
    expect(s.latencyTrend.points[0]).toMatchObject({ startMs: T0, requests: 3, latencyMeanMs: 1 });
  });

  it('buckets readings by their own time (data time), latency by scoring time', async () => {
    // 30 days of hourly readings from 2025-03-01, scored in 30 requests within one minute of T0.
    const D0 = Date.UTC(2025, 2, 1);
    for (let d = 0; d < 30; d++) {
      const rowTimes = Float64Array.from({ length: 24 }, (_, h) => D0 + (d * 24 + h) * HOUR);
      const flags = Array.from({ length: 24 }, (_, h) => (h === 3 ? 1 : 0));
      await log.append(batch(T0 + d * 2_000, 5, flags, { rowTimes, requestId: `day-${d}` }));
    }
    for (const s of [await summarizeLog(log), summarizePerformance(await log.readLast(10_000))]) {
      expect(s.trend.bucketMs).toBe(HOUR);
      expect(s.trend.points).toHaveLength(720);
      expect(s.trend.points[0]).toEqual({ startMs: D0, endMs: D0 + HOUR, predictions: 1, anomalies: 0 });
      expect(s.trend.points[3]).toEqual({ startMs: D0 + 3 * HOUR, endMs: D0 + 4 * HOUR, predictions: 1, anomalies: 1 });
      expect(s.trend.points[719]!.startMs).toBe(D0 + 719 * HOUR);
      expect(s.trend.points.reduce((a, p) => a + p.anomalies, 0)).toBe(30);
      expect(s.dataTimeRange).toEqual({ fromMs: D0, toMs: D0 + 719 * HOUR });
      // Scoring time: every request ran in the hour of T0.
      expect(s.latencyTrend.points).toEqual([
        { startMs: T0, endMs: T0 + HOUR, requests: 30, predictions: 720, latencyMeanMs: 5, latencyP95Ms: 5 },
      ]);
      expect(s.timeRange).toEqual({ fromMs: T0, toMs: T0 + 29 * 2_000 + 5 });
    }
    // A capped trend still spans the data's 30 days.
    const capped = await summarizeLog(log, { maxTrendPoints: 100 });
    expect(capped.trend.bucketMs).toBe(8 * HOUR);
    expect(capped.trend.points).toHaveLength(90);
    expect(capped.trend.points.at(-1)!.startMs).toBe(D0 + 712 * HOUR);
  });

  it('reports latency per model version and precision/recall from labels', async () => {
    await log.append(batch(T0, 10, [1, 0], { labels: Int8Array.from([1, 1]) }));
    await log.append(batch(T0 + 1000, 14, [0, 1], { labels: Int8Array.from([0, -1]) }));
    await log.append(batch(T0 + 2000, 40, [1, 1], { version: '1.1.0', labels: Int8Array.from([1, 0]) }));
    await log.append(batch(T0 + 3000, 44, [0], { version: '1.1.0' }));
    const s = await summarizeLog(log);
    expect(s.byVersion.map((v) => [v.version, v.requests, v.predictions, v.latency?.p95Ms])).toEqual([
      ['1.0.0', 2, 4, 14],
      ['1.1.0', 2, 3, 44],
    ]);
    expect(s.byVersion[1]!.anomalyRate).toBeCloseTo(2 / 3, 12);
    // Labelled: (1,1) tp, (0,1) fn, (0,0) tn, (1,1) tp, (1,0) fp.
    expect(s.classification).toMatchObject({ labelled: 5, truePositives: 2, falseNegatives: 1, trueNegatives: 1, falsePositives: 1 });
    expect(summarizePerformance(await log.readLast(100))).toEqual(s);
    // The hot-window variant: only the last 3 readings.
    const tail = await summarizeLog(log, { last: 3 });
    expect(tail.predictions).toBe(3);
    expect(tail.byVersion.map((v) => v.version)).toEqual(['1.1.0']);
  });

  it('judges batches per reading and online requests per request, separately; throughput over busy time', async () => {
    // One CSV of 2,160 readings scored in 154 ms, then two online requests of 1 reading (4 ms and 6 ms), an hour apart.
    await log.append(batch(T0, 154, new Array<number>(2160).fill(0)));
    await log.append(batch(T0 + HOUR, 4, [0]));
    await log.append(batch(T0 + 2 * HOUR, 6, [1]));
    const s = await summarizeLog(log);
    expect(s.online).toEqual({ requests: 2, readings: 2 });
    expect(s.batch).toEqual({ requests: 1, readings: 2160 });
    // Request latency covers only the online requests; p50 of [4, 6] is 4 (a value a request had), not 5.
    expect(s.latency).toMatchObject({ requests: 2, p50Ms: 4, p95Ms: 6, maxMs: 6 });
    // The batch is judged per reading: 154 ms / 2,160 readings.
    expect(s.readingLatency).toMatchObject({ requests: 1, p95Ms: expect.closeTo(154 / 2160, 6) as number });
    // Readings over busy time (154 + 4 + 6 ms), not over the two hours between requests.
    expect(s.throughputPerSec).toBeCloseTo(2162 / 0.164, 6);
    expect(await summarizeLog(log)).toEqual(summarizePerformance(await log.readLast(10_000)));
  });

  it('a window edge cutting a batch still judges it by its whole size', async () => {
    await log.append(batch(T0, 100, new Array<number>(50).fill(0)));
    const s = await summarizeLog(log, { last: 5 });
    expect(s.predictions).toBe(5);
    expect(s.batch).toEqual({ requests: 1, readings: 5 });
    expect(s.readingLatency).toMatchObject({ p95Ms: 2 });
    expect(s.latency).toBeNull();
  });

  it('returns nulls, not NaN, when nothing is logged', async () => {
    const s = await summarizeLog(log);
    expect(s).toMatchObject({
      predictions: 0,
      requests: 0,
      anomalyRate: null,
      latency: null,
      throughputPerSec: null,
      timeRange: null,
      classification: null,
      byVersion: [],
    });
    expect(s.trend.points).toEqual([]);
    expect(s.latencyTrend.points).toEqual([]);
    expect(s.dataTimeRange).toBeNull();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
