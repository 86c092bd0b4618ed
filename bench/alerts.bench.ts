/**
 * Alert rules evaluated after a scoring request, with 10,000,000 logged predictions.
 * Prints one JSON object.
 *   npx tsx bench/alerts.bench.ts [--records 10000000] [--runs 15]
 * Target (issue 13): under 50 ms per evaluation. The evaluation reads the request
 * index and the last `driftWindow` readings (the hot window), never the whole log;
 * for comparison, each run alternates with a whole-log rescan (summarizeLog over
 * every request plus a scan of every record's flag), which is what evaluating
 * "from scratch" would cost. The 10M log is built first, untimed. Default rules,
 * all eight kinds; no hooks (delivery is not part of the evaluation's cost).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAlerts } from '../src-main/backend/alerts/evaluate';
import { predictionLog } from '../src-main/backend/prediction-sink';
import { summarizeLog } from '../src-main/core/monitoring/performance';
import { PredictionLog, type PredictionBatch } from '../src-main/core/monitoring/prediction-log';
import { buildFixture, columnsOf, FEATURES, logScenario, MODEL, sinkState } from '../test/backend/monitoring-fixture';
import { predict, scoreSamples } from '../src-main/core/model';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RECORDS = arg('--records', 10_000_000);
const RUNS = arg('--runs', 15);

const root = await mkdtemp(join(tmpdir(), 'gl-bench-alerts-'));
try {
  const fx = await buildFixture(root, { trees: 20 });
  // Bulk history: the heatwave half scored once and appended as 10,000-row batch requests.
  const cols = columnsOf(fx.heatwave, fx.trainMask, 0);
  const values = FEATURES.map((f) => cols[f]!);
  const scores = scoreSamples(fx.model, values);
  const flags = predict(fx.model, scores);
  const per = Math.min(10_000, scores.length);
  const piece = { scores: scores.subarray(0, per), flags: flags.subarray(0, per), values: values.map((v) => v.subarray(0, per)) };
  const log = await PredictionLog.open(join(root, 'predictions'));
  const t0 = Date.now() - RECORDS;
  const buildStart = performance.now();
  for (let done = 0, k = 0; done < RECORDS - 20_000; k += 50) {
    const group: PredictionBatch[] = [];
    for (let j = 0; j < 50 && done < RECORDS - 20_000; j++, done += per) {
      group.push({
        model: MODEL,
        version: fx.version,
        features: FEATURES,
        requestId: `bulk-${k + j}`,
        time: t0 + done,
        latencyMs: 40,
        ...piece,
      });
    }
    await log.appendMany(group);
  }
  await log.close();
  const state = sinkState(root);
  // The newest 20,000: 240-reading requests with real labels (each scenario's current half holds ~10,000).
  await logScenario(state, fx, 'none', { perRequest: 240, limit: 10_000 });
  await logScenario(state, fx, 'heatwave', { perRequest: 240, limit: 10_000 });
  const logged = (await predictionLog(state)).count();
  const buildMs = performance.now() - buildStart;

  const times: { alertsMs: number[]; alertsCpuMs: number[]; rescanMs: number[]; rescanCpuMs: number[] } = {
    alertsMs: [],
    alertsCpuMs: [],
    rescanMs: [],
    rescanCpuMs: [],
  };
  const measure = async (fn: () => Promise<unknown>, wall: number[], cpu: number[]): Promise<void> => {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  };
  await checkAlerts(state, null, { model: MODEL }); // warm-up: opens the log, reads the profile once
  for (let r = 0; r < RUNS; r++) {
    await measure(() => checkAlerts(state, null, { model: MODEL }), times.alertsMs, times.alertsCpuMs);
    if (r < 3) {
      const full = await predictionLog(state);
      await measure(
        () => summarizeLog(full, { model: MODEL }).then(() => full.scan({ model: MODEL, columns: [] }, () => undefined)),
        times.rescanMs,
        times.rescanCpuMs,
      );
    }
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
    return { median: Math.round(q(0.5) * 10) / 10, p95: Math.round(q(0.95) * 10) / 10, min: Math.round(s[0]! * 10) / 10, runs: s.length };
  };
  console.log(
    JSON.stringify({
      bench: 'alerts',
      loggedPredictions: logged,
      buildLogSeconds: Math.round(buildMs / 100) / 10,
      evaluateAfterScoringMs: stats(times.alertsMs),
      evaluateCpuMs: stats(times.alertsCpuMs),
      wholeLogRescanMs: stats(times.rescanMs),
      wholeLogRescanCpuMs: stats(times.rescanCpuMs),
      targetMs: 50,
      meetsTarget: stats(times.alertsMs).median < 50,
      meetsTargetInCpu: stats(times.alertsCpuMs).median < 50,
      loadAverage1m: Math.round(loadavg()[0]! * 10) / 10,
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
