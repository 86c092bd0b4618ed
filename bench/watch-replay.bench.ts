/**
 * The replay benchmark of issue 12: a year of simulated monthly files (100
 * buildings by default) dropped one by one into a folder watched by `watch`,
 * after a production model trained on January–February. Run twice: with the
 * minimal policy `{ "retrain": { "onDrift": true }, "promote": { "auto": true } }`
 * and with retraining off. Prints one JSON line: per month, the anomaly rate
 * production showed on arrival, the version that scored it and the actions, side
 * by side; and how many months after the first retrain stayed in the target
 * band (1 % ± 50 %). `npm run bench watch-replay -- 20` for 20 buildings;
 * a third argument `isolation-forest` replays with the forest instead of the
 * contextual detector (the default algorithm on timestamped data). `--kept`
 * imports the winter file with keep (as the app does), so production records
 * its dataset and a retrain's window also reads it (ARCHITECTURE §4a); without
 * it the winter file is read for the training only, as `greenlens train` reads
 * it, and production records the file (`trainingData.file`), which a retrain's
 * window reads again while it is unchanged.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replayYear, type ReplayMonth } from '../test/backend/loop/replay';

const buildings = Number(process.argv[2] ?? 100);
const algorithm = process.argv[3] === 'isolation-forest' ? 'isolation-forest' : 'contextual';
const keep = process.argv.includes('--kept');
const root = mkdtempSync(path.join(os.tmpdir(), 'gl-replay-'));
const started = Date.now();
const cpu0 = process.cpuUsage();
const minimal = { retrain: { onDrift: true }, promote: { auto: true } };
const withLoop = await replayYear(path.join(root, 'loop'), { buildings, seed: 31, policy: minimal, algorithm, keep });
const without = await replayYear(path.join(root, 'off'), { buildings, seed: 31, policy: { retrain: { onDrift: false } }, algorithm, keep });
const inBand = (r: number): boolean => r >= 0.005 && r <= 0.015;
const firstRetrain = withLoop.findIndex((m) => m.actions.some((a) => a.type === 'retrain'));
const after = (list: ReplayMonth[]) => list.slice(firstRetrain + 1);
const row = (m: ReplayMonth) => ({
  month: m.month,
  rate: +(100 * m.anomalyRate).toFixed(2),
  by: m.production,
  drift: m.datasetDrift,
  actions: m.actions.map(
    (a) => `${a.type} ${a.version}${a.type === 'keep' ? `: ${a.reason.replace(/^stays a candidate: /, '').slice(0, 60)}` : ''}`,
  ),
});
console.log(
  JSON.stringify({
    bench: 'watch-replay',
    buildings,
    algorithm,
    kept: keep,
    firstDriftMonth: withLoop.find((m) => m.datasetDrift)?.month ?? null,
    promotions: withLoop.flatMap((m) => m.actions.filter((a) => a.type === 'promote').map((a) => `${m.month}:${a.version}`)),
    monthsAfterFirstRetrainInBand: {
      retraining: after(withLoop).filter((m) => inBand(m.anomalyRate)).length,
      off: after(without).filter((m) => inBand(m.anomalyRate)).length,
      of: after(withLoop).length,
    },
    meanRateAfter: {
      retraining: +((100 * after(withLoop).reduce((a, m) => a + m.anomalyRate, 0)) / Math.max(1, after(withLoop).length)).toFixed(2),
      off: +((100 * after(without).reduce((a, m) => a + m.anomalyRate, 0)) / Math.max(1, after(without).length)).toFixed(2),
    },
    // Month by month, the two runs side by side: the rate production showed on arrival, who scored it, what the pass did.
    sideBySide: withLoop.map((m, i) => ({
      month: m.month,
      retraining: row(m),
      off: row(without[i]!),
    })),
    seconds: Math.round((Date.now() - started) / 1000),
    cpuSeconds: Math.round((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6),
    load: os.loadavg(),
  }),
);
