/**
 * Isolation Forest benchmark (not a test). Prints one JSON object.
 *   npx tsx bench/iforest.bench.ts
 * fit: 100,000 × 8, 100 trees, median of 5. score: 1,000,000 × 8, median of 5,
 * single-threaded and with worker threads. Memory: growth of the process's
 * peak RSS while scoring, next to the size of the input.
 */
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitIsolationForest, scoreSamples } from '../src-main/core/model/isolation-forest';
import { scoreSamplesParallel } from '../src-main/backend/model/parallel-score';
import { createRng } from '../src-main/core/data/rng';

const FEATURES = 8;
const features = Array.from({ length: FEATURES }, (_, i) => `f${i}`);

function columns(rows: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  // Mixed scales and a skewed column, closer to building data than pure uniforms.
  return features.map((_, f) =>
    Float64Array.from({ length: rows }, () => (f % 3 === 2 ? Math.exp(2 * rng.next()) : rng.next() * (f + 1) * 10)),
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * A worker cannot start from .ts, and starting it through tsx would add the
 * transpiler's start-up (~0.5 s) to every call, which the packaged app (built
 * JS) never pays. So bundle the worker once with esbuild, as the app build does.
 * esbuild comes with vite/tsx; it is not a direct dependency.
 */
async function bundleWorker(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(mkdtempSync(join(tmpdir(), 'greenlens-bench-')), 'score-worker.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../src-main/backend/model/score-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

async function main(): Promise<void> {
  const train = columns(100_000, 1);
  fitIsolationForest(train, features, { seed: 99 }); // warm-up (JIT)
  const fitMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    fitIsolationForest(train, features, { seed: i });
    fitMs.push(performance.now() - t0);
  }
  const model = fitIsolationForest(train, features, { seed: 0 });

  const fitContaminationMs = (() => {
    const t0 = performance.now();
    fitIsolationForest(train, features, { seed: 0, contamination: 0.02 });
    return performance.now() - t0;
  })();

  const rows = 1_000_000;
  const data = columns(rows, 2);
  const inputMb = (rows * FEATURES * 8) / 2 ** 20;
  scoreSamples(model, columns(20_000, 3)); // warm-up

  const threads = Math.min(2, availableParallelism());
  const workerScript = await bundleWorker();
  const timeSingle = (): number => {
    const t0 = performance.now();
    scoreSamples(model, data);
    return performance.now() - t0;
  };
  const timeParallel = async (): Promise<number> => {
    const t0 = performance.now();
    await scoreSamplesParallel(model, data, { workerScript, threads });
    return performance.now() - t0;
  };

  // Peak RSS only grows, so measure each mode's first run on its own...
  const peakBeforeScore = peakRssMb();
  const singleMs = [timeSingle()];
  const singlePeakDelta = peakRssMb() - peakBeforeScore;
  const peakBeforeParallel = peakRssMb();
  const parallelMs = [await timeParallel()];
  const parallelPeakDelta = peakRssMb() - peakBeforeParallel;
  // ...then alternate the modes so a busy machine skews both alike.
  for (let i = 0; i < 4; i++) {
    singleMs.push(timeSingle());
    parallelMs.push(await timeParallel());
  }

  const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
  console.log(
    JSON.stringify({
      bench: 'iforest',
      node: process.version,
      cpus: availableParallelism(),
      // Other processes on the machine distort every figure below; read them with this.
      loadAverage1m: round(loadavg()[0]!, 2),
      fit: { rows: 100_000, features: FEATURES, trees: 100, medianMs: round(median(fitMs)), runsMs: fitMs.map((x) => round(x)) },
      fitWithContaminationMs: round(fitContaminationMs),
      score: {
        rows,
        features: FEATURES,
        trees: 100,
        singleThread: { medianMs: round(median(singleMs)), rowsPerSec: Math.round(rows / (median(singleMs) / 1000)) },
        parallel: { threads, medianMs: round(median(parallelMs)), rowsPerSec: Math.round(rows / (median(parallelMs) / 1000)) },
      },
      memory: {
        inputMb: round(inputMb),
        singleThreadPeakRssDeltaMb: round(singlePeakDelta),
        parallelPeakRssDeltaMb: round(parallelPeakDelta),
        peakRssMb: round(peakRssMb()),
      },
    }),
  );
}

void main();
