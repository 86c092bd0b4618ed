// `greenlens score --out` of 200,000 rows CSV→CSV vs pandas read_csv +
// scikit-learn IsolationForest.score_samples + to_csv on the same file
// (bench/reference/score_pandas.py; /usr/bin/python3 has them). The forest is
// trained before the timing on both sides: GreenLens loads its registered
// version, sklearn fits outside its timed block. Runs alternate between the
// two so both see the same machine load; the best run of each counts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { greenlens, timeRun } from './cli-run';
import { SCORE_FEATURES as FEATURES, SCORE_SAMPLE as SAMPLE, SCORE_TREES as TREES, scoreFixture } from './score-fixture';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const { dir, data, registry, threshold } = await scoreFixture();

const py = '/usr/bin/python3';
const havePandas = existsSync(py) && spawnSync(py, ['-c', 'import pandas, sklearn']).status === 0;
const script = fileURLToPath(new URL('./reference/score_pandas.py', import.meta.url));

const gl: ReturnType<typeof timeRun>[] = [];
const loads: number[] = [];
const pd: { wall: number; cpu: number; inProcess: number; inProcessCpu: number; fit: number; anomalies: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  loads.push(Math.round(loadavg()[0]! * 100) / 100);
  const r = greenlens(['score', '--registry', registry, '--data', data, '--out', join(dir, 'scored.csv'), '--json']);
  gl.push(r);
  if (havePandas) {
    const p = timeRun(py, [
      script,
      data,
      join(dir, 'scored-pandas.csv'),
      FEATURES.join(','),
      String(TREES),
      String(SAMPLE),
      String(threshold),
    ]);
    if (p.status !== 0) throw new Error(`score_pandas.py failed: ${p.stderr}`);
    const out = JSON.parse(p.stdout) as { seconds: number; cpuSeconds: number; fitSeconds: number; anomalies: number };
    pd.push({
      wall: p.seconds,
      cpu: p.cpuSeconds,
      inProcess: out.seconds,
      inProcessCpu: out.cpuSeconds,
      fit: out.fitSeconds,
      anomalies: out.anomalies,
    });
  }
}
const scored = JSON.parse(gl[0]!.stdout) as { rows: number; anomalies: number; threads: number; latencyMs: number };
const bytes = (await stat(data)).size;
await rm(dir, { recursive: true, force: true });

const best = (xs: number[]): number => Math.min(...xs);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const greenlensWall = best(gl.map((r) => r.seconds));
const pandasInProcess = pd.length ? best(pd.map((p) => p.inProcess)) : NaN;
// The Python process's wall time without the untimed fit: interpreter start and imports included, like node's start on our side.
const pandasWall = pd.length ? best(pd.map((p) => p.wall - p.fit)) : NaN;
console.log(
  JSON.stringify({
    bench: 'score-cli',
    rows: scored.rows,
    features: FEATURES.length,
    csvBytes: bytes,
    rounds: ROUNDS,
    // 1-minute load average before each round: other processes share the cores.
    load: loads,
    greenlensWallSeconds: round3(greenlensWall),
    greenlensCpuSeconds: round3(best(gl.map((r) => r.cpuSeconds))),
    greenlensThreads: scored.threads,
    greenlensAnomalies: scored.anomalies,
    pandasSklearn: pd.length
      ? {
          inProcessSeconds: round3(pandasInProcess),
          inProcessCpuSeconds: round3(best(pd.map((p) => p.inProcessCpu))),
          wallSecondsWithoutFit: round3(pandasWall),
          fitSeconds: round3(best(pd.map((p) => p.fit))),
          // The whole process, fit included (the OS cannot split it out).
          cpuSecondsWithFit: round3(best(pd.map((p) => p.cpu))),
          anomalies: pd[0]!.anomalies,
        }
      : 'skipped: /usr/bin/python3 with pandas and scikit-learn not found',
    // Strict: pandas' timed block alone (no interpreter start or imports) against GreenLens's whole process.
    speedupInProcess: pd.length ? Math.round((pandasInProcess / greenlensWall) * 100) / 100 : null,
    speedupWallToWall: pd.length ? Math.round((pandasWall / greenlensWall) * 100) / 100 : null,
    // CPU seconds, which the machine's load does not stretch: pandas' timed block against GreenLens's whole process (all threads).
    speedupCpu: pd.length ? Math.round((best(pd.map((p) => p.inProcessCpu)) / best(gl.map((r) => r.cpuSeconds))) * 100) / 100 : null,
  }),
);
