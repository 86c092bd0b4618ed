/**
 * Detection benchmark (issue 11; not a test). Prints one JSON object.
 *   npx tsx bench/detection.bench.ts [--quick] [--speed-only | --quality-only] [--rate 0.01]
 *
 * Year-2 evaluation of the year simulator: for 3 seeds, 8 buildings (two of
 * each kind), labelled faults at 1 % (`greenlens simulate --profile year`'s
 * default) and at 3 % of the readings (or only the `--rate` given), train on
 * year 1 and score year 2, at the default threshold. The contextual detector (the default on timestamped
 * data) and the plain Isolation Forest as `greenlens train` fits it
 * (per-building scaling, 100 trees, contamination 0.01) side by side.
 * Then speed: training on 100 buildings × 1 year hourly (876,000 rows),
 * scoring throughput of the detector on those rows, and the model file size
 * per building — in core on one thread, through the backend's two-thread
 * path (buildings split across threads), and end to end through the built
 * CLI (`greenlens train --algorithm contextual --holdout 0` and
 * `greenlens score`, CSV read and output included; needs `npm run build`,
 * skipped with --no-cli). Timings depend on the machine's load (reported
 * with CPU seconds beside wall time).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitBuildingPassParallel, scoreContextualParallel } from '../src-main/backend/model/contextual-parallel';
import { BUILDING_KINDS } from '../src-main/core/data/building-kinds';
import { DEFAULT_YEAR_START, simulateYears } from '../src-main/core/data/year-simulator';
import { applyGroupScaler, fitGroupScaler, fitIsolationForest, scoreSamples } from '../src-main/core/model';
import { buildingBases, contextualSettings, fitContextual, fitFleet, scoreContextual } from '../src-main/core/model/contextual/detector';
import { contextualArtifactToJson } from '../src-main/core/model/contextual/serialize';
import { MEMBERS, type ContextualInput } from '../src-main/core/model/contextual/types';
import type { Table } from '../src-main/core/data/table';
import { builtCli, greenlens, writeCsv } from './cli-run';
import { cat, figures, num, twoYears, type Figures } from './detection-eval';

const quick = process.argv.includes('--quick');
const speedOnly = process.argv.includes('--speed-only');
const noCli = process.argv.includes('--no-cli');
const qualityOnly = process.argv.includes('--quality-only');
const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];
const METERS = ['hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];
const NAMES = { meters: METERS, stuckCandidates: FEATURES, temperature: 'outdoor_temp_c' };
const SEEDS = quick ? [1] : [1, 2, 3];
const BUILDINGS = 8;
const rateAt = process.argv.indexOf('--rate');
const rateArg = rateAt >= 0 ? Number(process.argv[rateAt + 1]) : NaN;
if (rateAt >= 0 && !(rateArg > 0 && rateArg < 1))
  throw new Error(`--rate must be a fault share in (0, 1), got ${process.argv[rateAt + 1]}`);
/** Fault shares evaluated: precision depends on how rare faults are, so both the CLI's default and a busier fleet. */
const RATES = rateAt >= 0 ? [rateArg] : [0.01, 0.03];
/** Fault share of the speed run's fleet. */
const SPEED_RATE = 0.03;

function input(t: Table, stuck: readonly string[]): ContextualInput {
  return {
    time: num(t, 'timestamp'),
    groups: cat(t, 'building_id'),
    temperature: num(t, 'outdoor_temp_c'),
    meters: METERS.map((m) => num(t, m)),
    stuckColumns: stuck.map((m) => num(t, m)),
  };
}

function round(x: unknown): unknown {
  if (typeof x === 'number') return Math.round(x * 1000) / 1000;
  if (Array.isArray(x)) return x.map(round);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)]));
  return x;
}

function mean(list: Figures[]): Figures {
  const avg = (f: (x: Figures) => number | null): number => list.reduce((s, x) => s + (f(x) ?? NaN), 0) / list.length;
  const types = [...new Set(list.flatMap((x) => Object.keys(x.recallByType)))];
  return {
    rocAuc: avg((x) => x.rocAuc),
    f1: avg((x) => x.f1),
    precision: avg((x) => x.precision),
    recall: avg((x) => x.recall),
    anomalyRate: avg((x) => x.anomalyRate),
    // Mean over the seeds where the type occurred.
    recallByType: Object.fromEntries(
      types.map((t) => {
        const v = list.map((x) => x.recallByType[t]).filter((r): r is number => r !== undefined);
        return [t, v.reduce((s, r) => s + r, 0) / v.length];
      }),
    ),
  };
}

const quality: { anomalyRate: number; contextual: Figures[]; forest: Figures[]; members: Record<string, number>[] }[] = [];
for (const [seed, rate] of speedOnly ? [] : RATES.flatMap((r) => SEEDS.map((seed) => [seed, r] as const))) {
  let q = quality.find((x) => x.anomalyRate === rate);
  if (!q) quality.push((q = { anomalyRate: rate, contextual: [], forest: [], members: [] }));
  const { contextual, forest, members } = q;
  const { year1, year2 } = twoYears(seed, BUILDINGS, rate);
  const fit = fitContextual(input(year1, FEATURES), NAMES);
  const s = scoreContextual(fit.model, input(year2, fit.model.stuckColumns));
  contextual.push(figures(year2, s.scores, 0.5));
  members.push(Object.fromEntries(MEMBERS.map((m) => [m, figures(year2, s.memberScores[m], Infinity).rocAuc ?? NaN])));
  // The plain forest, as the default isolation-forest training fits it.
  const groups1 = cat(year1, 'building_id');
  const scaler = fitGroupScaler(
    FEATURES.map((f) => num(year1, f)),
    FEATURES,
    groups1,
  );
  const model = fitIsolationForest(
    applyGroupScaler(
      scaler,
      FEATURES.map((f) => num(year1, f)),
      groups1,
    ),
    FEATURES,
    {
      nTrees: 100,
      maxSamples: 256,
      contamination: 0.01,
      seed: 42,
    },
  );
  const scores = scoreSamples(
    model,
    applyGroupScaler(
      scaler,
      FEATURES.map((f) => num(year2, f)),
      cat(year2, 'building_id'),
    ),
  );
  forest.push(figures(year2, scores, model.threshold));
}

const qualityReport = {
  bench: 'detection',
  protocol: {
    seeds: SEEDS,
    buildings: BUILDINGS,
    kinds: BUILDING_KINDS,
    anomalyRates: RATES,
    train: 'year 1',
    score: 'year 2',
    threshold: 'default',
  },
  ...(speedOnly
    ? {}
    : {
        byRate: quality.map((q) => ({
          anomalyRate: q.anomalyRate,
          contextual: { mean: mean(q.contextual), perSeed: q.contextual, memberRocAuc: q.members },
          isolationForest: { mean: mean(q.forest), perSeed: q.forest },
        })),
      }),
};
if (qualityOnly) {
  console.log(JSON.stringify(round(qualityReport)));
  process.exit(0);
}

// Speed: 100 buildings × 1 year.
const bigBuildings = quick ? 20 : 100;
const big = simulateYears({
  buildings: bigBuildings,
  years: 1,
  seed: 9,
  anomalyRate: SPEED_RATE,
  kinds: BUILDING_KINDS,
  start: DEFAULT_YEAR_START,
});
// CPU time next to wall time: on a shared machine the wall clock measures the neighbours too.
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let started = performance.now();
let cpuStarted = cpuMs();
const bigFit = fitContextual(input(big, FEATURES), NAMES);
const trainingMs = performance.now() - started;
const trainingCpuMs = cpuMs() - cpuStarted;
const scoreInput = input(big, bigFit.model.stuckColumns);
const scoreRuns: number[] = [];
const scoreCpu: number[] = [];
for (let r = 0; r < 3; r++) {
  started = performance.now();
  cpuStarted = cpuMs();
  scoreContextual(bigFit.model, scoreInput);
  scoreRuns.push(performance.now() - started);
  scoreCpu.push(cpuMs() - cpuStarted);
}
const scoreMs = [...scoreRuns].sort((a, b) => a - b)[1]!;
const scoreCpuMs = [...scoreCpu].sort((a, b) => a - b)[1]!;
const json = contextualArtifactToJson({ kind: 'contextual', timeColumn: 'timestamp', idColumn: 'building_id', model: bigFit.model });

// The backend's two-thread path: this thread and a worker claim slices of buildings (the fleet baseline first on this thread).
const threads = { workerScript: fileURLToPath(new URL('../src-main/backend/score-worker-dev.mjs', import.meta.url)), threads: 2 };
const trainInput = input(big, FEATURES);
started = performance.now();
cpuStarted = cpuMs();
const settings = contextualSettings();
const parts = await fitBuildingPassParallel(trainInput, settings, threads, {
  first: () => fitFleet(trainInput, settings, buildingBases(trainInput, settings)),
});
fitContextual(trainInput, NAMES, {}, {}, { buildings: parts.buildings, pass: parts.pass, fleet: parts.first ?? null });
const twoThreadTrainingMs = performance.now() - started;
const twoThreadTrainingCpuMs = cpuMs() - cpuStarted; // this thread only: the worker's CPU is not counted
started = performance.now();
await scoreContextualParallel(bigFit.model, scoreInput, threads);
const twoThreadScoreMs = performance.now() - started;

// End to end through the built CLI: CSV read, fit or score, metrics, registry, output.
let endToEnd: Record<string, unknown> = { skipped: noCli ? '--no-cli' : 'not built (npm run build)' };
if (!noCli && existsSync(builtCli)) {
  const dir = await mkdtemp(join(tmpdir(), 'gl-detection-'));
  const data = join(dir, 'year.csv');
  await writeCsv(data, big);
  const registry = join(dir, 'registry');
  const train = greenlens(['train', '--registry', registry, '--data', data, '--algorithm', 'contextual', '--holdout', '0', '--json']);
  // As a person runs it: no flags (the default algorithm, and the default 20 % holdout since the CSV is labelled).
  const trainDefault = greenlens(['train', '--registry', join(dir, 'registry-default'), '--data', data, '--json']);
  const defaultAlgorithm = (JSON.parse(trainDefault.stdout) as { params: { algorithm: string } }).params.algorithm;
  const score = greenlens(['score', '--registry', registry, '--data', data, '--json']);
  const scoreOut = greenlens(['score', '--registry', registry, '--data', data, '--out', join(dir, 'scored.csv'), '--no-log', '--json']);
  endToEnd = {
    trainSeconds: train.seconds,
    trainCpuSeconds: train.cpuSeconds,
    trainDefaultSeconds: trainDefault.seconds,
    trainDefaultCpuSeconds: trainDefault.cpuSeconds,
    trainDefaultAlgorithm: defaultAlgorithm,
    scoreSeconds: score.seconds,
    scoreCpuSeconds: score.cpuSeconds,
    scoringReadingsPerSecond: big.rowCount / score.seconds,
    scoreOutSeconds: scoreOut.seconds,
    scoreOutCpuSeconds: scoreOut.cpuSeconds,
    scoringReadingsPerSecondWithOut: big.rowCount / scoreOut.seconds,
    note: 'wall time of the whole CLI process (CSV read included); score writes the prediction log, score --out writes the scored CSV instead',
  };
  await rm(dir, { recursive: true, force: true });
}

console.log(
  JSON.stringify(
    round({
      ...qualityReport,
      speed: {
        trainingRows: big.rowCount,
        buildings: bigBuildings,
        trainingMs,
        trainingCpuMs,
        scoringRowsPerSecond: big.rowCount / (scoreMs / 1000),
        scoringRowsPerCpuSecond: big.rowCount / (scoreCpuMs / 1000),
        scoringNote: 'core scoreContextual, one thread, median of 3 (CSV parsing and the log are not included)',
        modelBytesPerBuilding: json.length / bigBuildings,
        twoThreads: {
          trainingMs: twoThreadTrainingMs,
          trainingCpuMsThisThread: twoThreadTrainingCpuMs,
          scoringRowsPerSecond: big.rowCount / (twoThreadScoreMs / 1000),
        },
        cli: endToEnd,
        loadAverage1m: loadavg()[0],
      },
    }),
  ),
);
