import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerHost } from '../../src-main/backend/host/worker-host';
import { DEFAULT_SETTINGS } from '../../src-main/contract/settings';
import { trainingScoreRows } from '../../src-main/core/model/contextual/detector';
import { tempDir } from '../helpers/backend';

/**
 * A refit of more than TRAINING_SCORE_ROWS readings measures its training figures on a hash sample of them
 * (trainingScoreRows), scored while the worker measures the holdout and its importance: the version and every
 * figure but the timing must be those of the same training on one thread, and the sample's size is reported.
 */
const dir = tempDir('gl-ctx-sampled-');
const script = fileURLToPath(new URL('../../src-main/backend/worker-dev.mjs', import.meta.url));
const scoreWorkerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));
const host = (name: string, threads: boolean): WorkerHost =>
  new WorkerHost({
    script,
    ...(threads ? { scoreWorkerScript } : {}),
    settings: DEFAULT_SETTINGS,
    registryPath: join(dir, name),
    tempDir: join(dir, `${name}-tmp`),
    progressThrottleMs: 0,
  });
const twoThreads = host('two', true);
const oneThread = host('one', false);
// 30 buildings × 300 days = 216,000 labelled readings: the refit on all of them is above TRAINING_SCORE_ROWS.
const simulate = { buildings: 30, days: 300, seed: 8 };
const rows = 216_000;
const ids: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, h] of [
    ['two', twoThreads],
    ['one', oneThread],
  ] as const) {
    const ds = (await h.call('data.simulate', simulate)) as { id: string; rows: number };
    expect(ds.rows).toBe(rows);
    ids[name] = ds.id;
  }
}, 120_000);

afterAll(async () => {
  await twoThreads.close();
  await oneThread.close();
});

interface Trained {
  version: string;
  metrics: Record<string, number | null>;
}
const modelFile = (name: string, version: string) => join(dir, name, 'models', 'energy-anomaly', 'versions', version, 'model.json');

describe('a large refit’s training figures from a hash sample of its rows', () => {
  it('registers the version and figures one thread does, and reports the sample’s size', async () => {
    const train = { algorithm: 'contextual', holdout: 0.2 };
    const two = (await twoThreads.call('model.train', { ...train, datasetId: ids.two })) as Trained;
    const one = (await oneThread.call('model.train', { ...train, datasetId: ids.one })) as Trained;
    expect(two.metrics.refittedOnAll).toBe(1);
    expect(two.metrics.trainingScoreRows).toBe(trainingScoreRows(rows)!.length);
    const { trainingMs: _a, ...twoFigures } = two.metrics;
    const { trainingMs: _b, ...oneFigures } = one.metrics;
    expect(twoFigures).toEqual(oneFigures);
    expect(readFileSync(modelFile('two', two.version))).toEqual(readFileSync(modelFile('one', one.version)));
    // Every building has its own figures, from its share of the sample (about 92 % of its readings here).
    const rates = Object.keys(two.metrics).filter((k) => /^building_.*_anomalyRate$/.test(k));
    expect(rates.length).toBe(30);
    for (const k of rates) expect(two.metrics[k]).toBeGreaterThanOrEqual(0);
    expect(two.metrics.anomalyRate!).toBeGreaterThan(0);
  }, 240_000);
});
