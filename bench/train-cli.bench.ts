// `greenlens train` on 100 buildings × 1 year hourly (876,000 rows, from
// `greenlens simulate --profile year --years 1 --buildings 100`), end to end
// through the built CLI (issue 11: under 10 s on 2 cores), with the contextual
// detector, both with `--holdout 0` (one fit) and with the default holdout
// (fit on 80 %, score the rest, refit on all). Prints JSON: per build and mode,
// the wall and CPU seconds (all threads, from /usr/bin/time) of every run, the
// load averages (as `uptime` shows them) before each run, and the best and
// median of the runs.
//
//   npx tsx bench/train-cli.bench.ts [--data year.csv] [--baseline OTHER/out/main/cli.js] [--runs 3] [--modes 0,default]
//
// The machine may be shared: with --baseline, runs alternate between the two
// builds so both see the same load, and their registered model files are
// compared byte for byte (sameModelFile per mode), and again without the
// forest member's center and scale (sameBesideForestCalibration), which a
// build from before they were set from a sample of the training rows
// (CALIBRATION_ROWS, above 100,000 rows) computed from all of them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, greenlens } from './cli-run';

function flag(name: string): string | null {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? null) : null;
}

const baseline = flag('--baseline');
const runs = Number(flag('--runs') ?? 3);
const modes = (flag('--modes') ?? '0,default').split(',');
const dir = await mkdtemp(join(tmpdir(), 'gl-train-cli-'));
let data = flag('--data');
if (!data) {
  data = join(dir, 'year.csv');
  greenlens(['simulate', '--out', data, '--profile', 'year', '--years', '1', '--buildings', '100']);
}

interface Run {
  seconds: number;
  cpuSeconds: number;
  /** 1, 5 and 15-minute load averages before the run. */
  load: number[];
  trainingMs: number;
}
const builds: Record<string, string> = baseline ? { new: builtCli, baseline } : { new: builtCli };
const modelFile = (registry: string) => join(registry, 'models', 'energy-anomaly', 'versions', '1.0.0', 'model.json');
const round2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** A model file's JSON without the detector's forestCenter and forestScale. */
function besideCalibration(file: Buffer): string {
  const json = JSON.parse(file.toString('utf8')) as { detector: Record<string, unknown> };
  delete json.detector.forestCenter;
  delete json.detector.forestScale;
  return JSON.stringify(json);
}
const out: Record<string, unknown> = {};
for (const mode of modes) {
  const holdout = mode === 'default' ? [] : ['--holdout', mode];
  const results: Record<string, Run[]> = Object.fromEntries(Object.keys(builds).map((b) => [b, []]));
  const models: Record<string, Buffer> = {};
  for (let r = 0; r < runs; r++) {
    for (const [name, path] of Object.entries(builds)) {
      const registry = join(dir, `registry-${name}-${mode}-${r}`);
      const load = loadavg().map(round2);
      const run = greenlens(['train', '--registry', registry, '--data', data, '--algorithm', 'contextual', ...holdout, '--json'], path);
      const trainingMs = (JSON.parse(run.stdout) as { metrics: { trainingMs: number } }).metrics.trainingMs;
      results[name]!.push({ seconds: round2(run.seconds), cpuSeconds: round2(run.cpuSeconds), load, trainingMs });
      models[name] ??= await readFile(modelFile(registry));
      await rm(registry, { recursive: true, force: true });
    }
  }
  out[`holdout_${mode}`] = {
    ...Object.fromEntries(
      Object.entries(results).map(([name, rs]) => [
        name,
        {
          bestSeconds: Math.min(...rs.map((x) => x.seconds)),
          medianSeconds: median(rs.map((x) => x.seconds)),
          bestCpuSeconds: Math.min(...rs.map((x) => x.cpuSeconds)),
          medianCpuSeconds: median(rs.map((x) => x.cpuSeconds)),
          runs: rs,
        },
      ]),
    ),
    ...(baseline
      ? {
          sameModelFile: models.new!.equals(models.baseline!),
          sameBesideForestCalibration: besideCalibration(models.new!) === besideCalibration(models.baseline!),
        }
      : {}),
  };
}
console.log(
  JSON.stringify({
    bench: 'greenlens train --algorithm contextual, 100 buildings × 1 year hourly (876,000 rows)',
    cores: availableParallelism(),
    ...out,
  }),
);
await rm(dir, { recursive: true, force: true });
