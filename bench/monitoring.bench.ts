/**
 * Prediction log and performance benchmark. Prints one JSON object.
 *   npx tsx bench/monitoring.bench.ts [--records 10000000]
 * Targets: append 1,000,000 readings (8 features) < 1 s; p95 latency over
 * 10,000,000 logged readings < 300 ms (the 10M log is built first, untimed).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentilesInPlace } from '../src-main/core/monitoring/percentile';
import { latencyStats, logLatencyStats, summarizeLog } from '../src-main/core/monitoring/performance';
import { PredictionLog, type PredictionBatch } from '../src-main/core/monitoring/prediction-log';

const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw', 'hour'];
const argRecords = process.argv.indexOf('--records');
const BIG = argRecords > 0 ? Number(process.argv[argRecords + 1]) : 10_000_000;

/**
 * Deterministic batches. Arrays are drawn from a pool of 997 per shape so building
 * 10M single-reading requests measures the log, not the garbage collector.
 */
function makeBatches(total: number, perBatch: number, t0: number, withLabels: boolean): PredictionBatch[] {
  let seed = 12345;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pool = Array.from({ length: Math.min(997, Math.ceil(total / perBatch)) }, () => {
    const n = perBatch;
    const scores = Float64Array.from({ length: n }, rnd);
    return {
      scores,
      flags: Uint8Array.from(scores, (s) => (s > 0.97 ? 1 : 0)),
      labels: Int8Array.from(scores, (s) => (s > 0.96 ? 1 : 0)),
      values: FEATURES.map((_, j) => Float64Array.from({ length: n }, () => j * 10 + rnd())),
    };
  });
  const out: PredictionBatch[] = [];
  for (let k = 0; k * perBatch < total; k++) {
    const n = Math.min(perBatch, total - k * perBatch);
    const p = pool[k % pool.length]!;
    const cut =
      n === perBatch
        ? p
        : {
            scores: p.scores.subarray(0, n),
            flags: p.flags.subarray(0, n),
            labels: p.labels.subarray(0, n),
            values: p.values.map((v) => v.subarray(0, n)),
          };
    out.push({
      model: 'energy-anomaly',
      version: '1.2.0',
      features: FEATURES,
      requestId: `req-${k}`,
      time: t0 + k * 1_000,
      latencyMs: 5 + 40 * rnd() ** 3,
      scores: cut.scores,
      flags: cut.flags,
      ...(withLabels && k % 2 === 0 ? { labels: cut.labels } : {}),
      values: cut.values,
    });
  }
  return out;
}

async function timeAppend(dir: string, batches: PredictionBatch[]): Promise<number> {
  const log = await PredictionLog.open(dir);
  const t = performance.now();
  for (const b of batches) await log.append(b);
  const ms = performance.now() - t;
  await log.close();
  return ms;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

const root = await mkdtemp(join(tmpdir(), 'gl-bench-monitoring-'));
try {
  const t0 = Date.UTC(2025, 0, 1);
  const result: Record<string, unknown> = { node: process.version, features: FEATURES.length };

  // 1. Append 1M readings, as requests of 10,000 and of 1,000 readings (one fsync per request).
  for (const perBatch of [10_000, 1_000]) {
    const batches = makeBatches(1_000_000, perBatch, t0, false);
    const ms = await timeAppend(join(root, `append-${perBatch}`), batches);
    result[`append1M_batch${perBatch}_ms`] = round(ms);
  }

  // 2. Two big logs, built untimed: requests of 1,000 readings (half labelled), and
  // single-reading requests, the worst case for per-request latency (one index entry
  // per reading). The second is built with appendMany (50,000 requests per fsync).
  const shapes = [
    { name: 'requests_of_1000', perBatch: 1_000 },
    { name: 'single_reading_requests', perBatch: 1 },
  ];
  for (const shape of shapes) {
    const dir = join(root, shape.name);
    const out: Record<string, unknown> = {};
    result[shape.name] = out;
    const build = await timed(async () => {
      const log = await PredictionLog.open(dir);
      const chunk = shape.perBatch === 1 ? 50_000 : 1_000_000;
      for (let done = 0; done < BIG; done += chunk) {
        const batches = makeBatches(Math.min(chunk, BIG - done), shape.perBatch, t0 + done * 10, true);
        for (const b of batches) {
          b.requestId = `${done}-${b.requestId}`;
          b.version = done < BIG / 2 ? '1.2.0' : '1.3.0';
        }
        await log.appendMany(batches);
      }
      await log.close();
    });
    out.build_ms = round(build.ms);

    const opened = await timed(() => PredictionLog.open(dir));
    const log = opened.value;
    out.open_ms = round(opened.ms);
    out.stats = log.stats();

    // p95 per request: the latency column of the request index, then selection.
    const p95 = await timed(() => logLatencyStats(log)!);
    out.p95_latency = { ms: round(p95.ms), requests: p95.value.requests, readings: log.count(), p95Ms: round(p95.value.p95Ms) };
    // The same through readRequests (all request columns, as the summary uses them).
    out.readRequests_plus_stats_ms = round((await timed(async () => latencyStats((await log.readRequests()).requests.latencyMs))).ms);

    // Full summary: index for latency, trends, versions; a flag/label scan of all records for F1.
    const summary = await timed(() => summarizeLog(log));
    out.full_summary = {
      ms: round(summary.ms),
      predictions: summary.value.predictions,
      requests: summary.value.requests,
      latencyP95Ms: round(summary.value.latency?.p95Ms ?? Number.NaN),
      trendPoints: summary.value.trend.points.length,
      trendBucketHours: summary.value.trend.bucketMs / 3_600_000,
      versions: summary.value.byVersion.map(
        (v) => `${v.version}: ${v.predictions} readings, p95 ${round(v.latency?.p95Ms ?? Number.NaN)} ms`,
      ),
      f1: summary.value.classification?.f1 ?? null,
    };
    out.hot_window_summary_10k_ms = round((await timed(() => summarizeLog(log, { last: 10_000 }))).ms);
    out.readLast_10k_all_features_ms = round((await timed(() => log.readLast(10_000))).ms);
    await log.close();
    await rm(dir, { recursive: true, force: true });
  }

  // 3. Selection alone over 10M latencies already in memory.
  const values = new Float64Array(BIG);
  for (let i = 0; i < BIG; i++) values[i] = 5 + 40 * Math.random() ** 3;
  result.quickselect_p50_p95_p99_in_memory_ms = round((await timed(() => percentilesInPlace(values, [50, 95, 99]))).ms);

  const p95Of = (name: string): number => (result[name] as { p95_latency: { ms: number } }).p95_latency.ms;
  result.targets = {
    append1M_under_1s: (result.append1M_batch10000_ms as number) < 1000,
    p95_under_300ms_requests_of_1000: p95Of('requests_of_1000') < 300,
    p95_under_300ms_single_reading_requests: p95Of('single_reading_requests') < 300,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await rm(root, { recursive: true, force: true });
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
