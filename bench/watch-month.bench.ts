/**
 * One month of 100 buildings (72,000 hourly readings: 30 days) through what
 * `watch` does with each new file before any retraining: score with production
 * (logged), drift against production's profile, health (issue 12: under 2 s).
 * Prints one JSON line: wall and CPU seconds of each step and in total, median
 * of `runs` passes (each on a fresh copy of the registry, so the log is the same
 * size each time), with the file read (CSV import) timed apart.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFileDataset } from '../src-main/backend/loop/eval-data';
import { writeCsvAtomic } from '../src-main/backend/csv-file';
import { createJobContext } from '../src-main/backend/job';
import { BUILDING_KINDS } from '../src-main/contract/shared/data';
import { filterRows, getColumn } from '../src-main/core/data/table';
import { DEFAULT_YEAR_START, simulateYears } from '../src-main/core/data/year-simulator';
import { loopBackend } from '../test/backend/loop/loop-backend';

const runs = Number(process.argv[2] ?? 5);
const root = mkdtempSync(path.join(os.tmpdir(), 'gl-watch-month-'));
const year = simulateYears({ buildings: 100, years: 1, seed: 21, anomalyRate: 0.01, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
const t = getColumn(year, 'timestamp')!;
const day = (ms: number): number => Math.floor((ms - DEFAULT_YEAR_START) / 86_400_000);
const pick = (from: number, to: number) =>
  filterRows(
    year,
    Uint8Array.from(t.kind === 'time' ? t.values : [], (ms) => (day(ms) >= from && day(ms) < to ? 1 : 0)),
  );
const ctx = createJobContext({ jobId: 'bench', op: 'bench' });
const trainCsv = path.join(root, 'train.csv');
const monthCsv = path.join(root, 'month.csv');
await writeCsvAtomic(trainCsv, pick(0, 30), ctx);
const month = pick(150, 180);
await writeCsvAtomic(monthCsv, month, ctx);
const base = path.join(root, 'base');
{
  const b = loopBackend(base);
  const ds = await b.run('data.import', { path: trainCsv, keep: false });
  await b.run('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', alias: 'production' });
}

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
type Step = 'read' | 'score' | 'drift' | 'health';
const samples: Record<Step | 'total', { wall: number; cpu: number }[]> = { read: [], score: [], drift: [], health: [], total: [] };
for (let r = 0; r < runs; r++) {
  const reg = path.join(root, `run-${r}`);
  cpSync(base, reg, { recursive: true });
  const b = loopBackend(reg);
  const time = async <T>(step: Step, fn: () => Promise<T>): Promise<T> => {
    const w0 = performance.now();
    const c0 = cpu();
    const out = await fn();
    samples[step].push({ wall: (performance.now() - w0) / 1000, cpu: cpu() - c0 });
    return out;
  };
  const ds = await time('read', () => importFileDataset(monthCsv, undefined, ctx, b.state));
  await time('score', () => b.run('model.score', { datasetId: ds.info.id }));
  await time('drift', () => b.run('drift.report', { current: { datasetId: ds.info.id }, chunkBy: 'none' }));
  await time('health', () => b.run('monitoring.health', {}));
  const steps = (['score', 'drift', 'health'] as const).map((s) => samples[s].at(-1)!);
  samples.total.push({ wall: steps.reduce((a, s) => a + s.wall, 0), cpu: steps.reduce((a, s) => a + s.cpu, 0) });
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = Object.fromEntries(
  Object.entries(samples).map(([k, v]) => [
    k,
    { wallS: +median(v.map((x) => x.wall)).toFixed(3), cpuS: +median(v.map((x) => x.cpu)).toFixed(3) },
  ]),
);
const totalWall = (summary.total as { wallS: number }).wallS;
console.log(
  JSON.stringify({
    bench: 'watch-month',
    rows: month.rowCount,
    buildings: 100,
    runs,
    median: summary,
    targetS: 2,
    met: totalWall < 2,
    load: os.loadavg(),
  }),
);
