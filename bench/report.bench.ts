/**
 * Issue 13's report numbers: a one-year report for 100 buildings, HTML under
 * 3 s and 5 MB, PDF under 10 s. Data: `greenlens simulate --profile year
 * --buildings 100 --years 1` (876,000 hourly readings), an Isolation Forest
 * trained on it, every reading scored and logged; then `greenlens report`
 * alternately as HTML and PDF (the same load for both), 3 runs each.
 *
 * Run after `npx electron-vite build`: `npx tsx bench/report.bench.ts`. Prints one JSON object:
 * per run the command's own seconds (what the report took, printed in its --json)
 * beside wall time (process start included) and CPU seconds, the HTML size, and
 * the load average when it ran.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { greenlens } from './cli-run';

const BUILDINGS = Number(process.env.BENCH_BUILDINGS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'gl-bench-report-'));
try {
  const data = join(dir, 'year.csv');
  const registry = join(dir, 'registry');
  const setup = {
    simulate: greenlens(['simulate', '--out', data, '--profile', 'year', '--years', '1', '--buildings', String(BUILDINGS), '--seed', '7'])
      .seconds,
    train: greenlens(['train', '--registry', registry, '--data', data, '--algorithm', 'isolation-forest', '--json']).seconds,
    score: greenlens(['score', '--registry', registry, '--data', data, '--json']).seconds,
  };
  const runs: Array<{ format: string; seconds: number; wallSeconds: number; cpuSeconds: number; bytes: number; load1: number }> = [];
  for (let k = 0; k < RUNS; k++) {
    for (const format of ['html', 'pdf']) {
      const out = join(dir, `report-${k}.${format}`);
      const load1 = loadavg()[0]!;
      const r = greenlens(['report', '--registry', registry, '--out', out, '--json']);
      const reported = JSON.parse(r.stdout) as { seconds: number; bytes: number };
      runs.push({
        format,
        seconds: Number(reported.seconds.toFixed(3)),
        wallSeconds: Number(r.seconds.toFixed(3)),
        cpuSeconds: Number(r.cpuSeconds.toFixed(2)),
        bytes: statSync(out).size,
        load1: Number(load1.toFixed(1)),
      });
    }
  }
  const best = (format: string, key: 'seconds' | 'wallSeconds'): number =>
    Math.min(...runs.filter((r) => r.format === format).map((r) => r[key]));
  const htmlBytes = Math.max(...runs.filter((r) => r.format === 'html').map((r) => r.bytes));
  console.log(
    JSON.stringify(
      {
        bench: 'report',
        buildings: BUILDINGS,
        readings: BUILDINGS * 8760,
        setupSeconds: setup,
        runs,
        html: {
          seconds: best('html', 'seconds'),
          wallSeconds: best('html', 'wallSeconds'),
          bytes: htmlBytes,
          targetSeconds: 3,
          targetBytes: 5_000_000,
        },
        pdf: { seconds: best('pdf', 'seconds'), wallSeconds: best('pdf', 'wallSeconds'), targetSeconds: 10 },
        cores: 2,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
