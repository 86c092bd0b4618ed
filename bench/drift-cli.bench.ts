// `greenlens drift` from two CSV files (1,000,000 rows × 5 columns by default;
// BENCH_FEATURES / BENCH_ROWS change it) vs pandas + scipy doing the same on
// the same files (bench/reference/drift_pandas.py, where /usr/bin/python3 has
// them). Runs alternate between the two so both see the same machine load;
// the best run of each counts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src-main/core/data/rng';
import type { Table } from '../src-main/core/data/table';
import { greenlens, timeRun, writeCsv } from './cli-run';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const FEATURES = Number(process.env.BENCH_FEATURES ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function table(seed: number, shift: number): Table {
  const rng = createRng(seed);
  const columns = Array.from({ length: FEATURES }, (_, f) => {
    const values = new Float64Array(ROWS);
    // Half the features shift by 0.05σ on the current side: KS calls that significant
    // at this size, but it stays under the effect-size floor, so nothing is flagged.
    for (let i = 0; i < ROWS; i++) values[i] = Math.round((rng.normal() + (f % 2 === 0 ? shift : 0)) * 1000) / 1000;
    return { name: `f${f}`, kind: 'number' as const, values };
  });
  return { rowCount: ROWS, columns };
}

const dir = await mkdtemp(join(tmpdir(), 'gl-drift-cli-'));
const ref = join(dir, 'reference.csv');
const cur = join(dir, 'current.csv');
await writeCsv(ref, table(1, 0));
await writeCsv(cur, table(2, 0.05));
const bytes = (await stat(ref)).size + (await stat(cur)).size;

const py = '/usr/bin/python3';
const havePandas = existsSync(py) && spawnSync(py, ['-c', 'import pandas, scipy']).status === 0;
const script = fileURLToPath(new URL('./reference/drift_pandas.py', import.meta.url));
const runs: ReturnType<typeof timeRun>[] = [];
const pyRuns: { wall: number; cpu: number; inProcess: number; inProcessCpu: number; psiOfF0: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const r = greenlens(['drift', '--reference', ref, '--current', cur, '--json']);
  runs.push(r);
  if (havePandas) {
    const p = timeRun(py, [script, ref, cur]);
    if (p.status !== 0) throw new Error(`drift_pandas.py failed: ${p.stderr}`);
    const parsed = JSON.parse(p.stdout) as { seconds: number; cpuSeconds: number; features: { name: string; psi: number }[] };
    pyRuns.push({
      wall: p.seconds,
      cpu: p.cpuSeconds,
      inProcess: parsed.seconds,
      inProcessCpu: parsed.cpuSeconds,
      psiOfF0: parsed.features[0]!.psi,
    });
  }
}
await rm(dir, { recursive: true, force: true });

const best = (xs: number[]): number => Math.min(...xs);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const greenlensWall = best(runs.map((r) => r.seconds));
const report = JSON.parse(runs[0]!.stdout) as { features: { name: string; psi: number; drifted: boolean }[] };
const pandasWall = pyRuns.length ? best(pyRuns.map((p) => p.wall)) : NaN;
const pandasInProcess = pyRuns.length ? best(pyRuns.map((p) => p.inProcess)) : NaN;

console.log(
  JSON.stringify({
    bench: 'drift-cli',
    rows: ROWS,
    features: FEATURES,
    csvBytes: bytes,
    rounds: ROUNDS,
    greenlensWallSeconds: round3(greenlensWall),
    greenlensCpuSeconds: round3(best(runs.map((r) => r.cpuSeconds))),
    drifted: report.features.filter((f) => f.drifted).map((f) => f.name),
    psiOfF0: report.features.find((f) => f.name === 'f0')?.psi,
    pandasScipy: pyRuns.length
      ? {
          wallSeconds: round3(pandasWall),
          cpuSeconds: round3(best(pyRuns.map((p) => p.cpu))),
          inProcessSeconds: round3(pandasInProcess),
          inProcessCpuSeconds: round3(best(pyRuns.map((p) => p.inProcessCpu))),
          psiOfF0: pyRuns[0]!.psiOfF0,
        }
      : 'skipped: /usr/bin/python3 with pandas and scipy not found',
    // Wall to wall: both processes whole, start-up included on both sides.
    speedupWallToWall: pyRuns.length ? Math.round((pandasWall / greenlensWall) * 100) / 100 : null,
    // Strict: pandas' timed block alone (no interpreter start or imports) against GreenLens's whole process.
    speedupInProcess: pyRuns.length ? Math.round((pandasInProcess / greenlensWall) * 100) / 100 : null,
    // CPU seconds, which the machine's load does not stretch: pandas' timed block against GreenLens's whole process.
    speedupCpu: pyRuns.length
      ? Math.round((best(pyRuns.map((p) => p.inProcessCpu)) / best(runs.map((r) => r.cpuSeconds))) * 100) / 100
      : null,
  }),
);
