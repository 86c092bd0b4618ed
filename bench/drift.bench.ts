/**
 * Drift benchmark: `npx tsx bench/drift.bench.ts` prints one JSON object.
 * Targets (task brief): KS 1e6 vs 1e6 < 0.4 s; full drift report, 10 features ×
 * 1e6 rows per side, < 2 s. Each figure is the best of a few runs after a warm-up,
 * so it measures the code rather than JIT compilation. Wall time is reported
 * with the process CPU time of the same run and the load average, because on a
 * shared machine wall time mostly measures the neighbours.
 */
import { loadavg } from 'node:os';
import { createRng } from '../src-main/core/data/rng';
import { buildReferenceProfile } from '../src-main/core/drift/profile';
import { driftReport } from '../src-main/core/drift/report';
import { DEFAULT_DRIFT_THRESHOLDS as DEFAULT_THRESHOLDS } from '../src-main/contract/shared/monitoring';
import { ks2samp } from '../src-main/core/stats/ks';

const ROWS = 1_000_000;
const FEATURES = 10;

function normalColumn(n: number, seed: number, shift: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = shift + rng.normal();
  return out;
}

function best<T>(runs: number, fn: () => T): { seconds: number; cpuSeconds: number; result: T } {
  let result = fn(); // warm-up
  let seconds = Infinity;
  let cpuSeconds = Infinity;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = fn();
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    if (wall < seconds) {
      seconds = wall;
      cpuSeconds = (cpu.user + cpu.system) / 1e6;
    }
  }
  return { seconds, cpuSeconds, result };
}

const reference: Record<string, Float64Array> = {};
const current: Record<string, Float64Array> = {};
for (let f = 0; f < FEATURES; f++) {
  reference[`f${f}`] = normalColumn(ROWS, 1000 + f, 0);
  // Half the features drift by 0.2σ so the report exercises both outcomes.
  current[`f${f}`] = normalColumn(ROWS, 2000 + f, f % 2 === 0 ? 0.2 : 0);
}

const ks = best(3, () => ks2samp(reference.f0!, current.f0!));
const report = best(2, () => driftReport(reference, current, DEFAULT_THRESHOLDS));
const profile = best(2, () => buildReferenceProfile(reference));
const fromProfile = best(2, () => driftReport(profile.result, current, DEFAULT_THRESHOLDS));

const round = (s: number): number => Math.round(s * 1000) / 1000;
console.log(
  JSON.stringify({
    node: process.version,
    rowsPerSide: ROWS,
    features: FEATURES,
    loadAverage1m: round(loadavg()[0]!),
    ks1e6vs1e6Seconds: round(ks.seconds),
    ks1e6vs1e6CpuSeconds: round(ks.cpuSeconds),
    ks: { statistic: ks.result.statistic, pValue: ks.result.pValue, method: ks.result.method },
    driftReportRawSeconds: round(report.seconds),
    driftReportRawCpuSeconds: round(report.cpuSeconds),
    driftReportFromProfileSeconds: round(fromProfile.seconds),
    driftReportFromProfileCpuSeconds: round(fromProfile.cpuSeconds),
    profileBuildSeconds: round(profile.seconds),
    profileBuildCpuSeconds: round(profile.cpuSeconds),
    profileJsonBytes: JSON.stringify(profile.result).length,
    driftedFeatures: report.result.driftedFeatures,
    targets: { ks1e6vs1e6Seconds: 0.4, driftReportRawSeconds: 2 },
  }),
);
