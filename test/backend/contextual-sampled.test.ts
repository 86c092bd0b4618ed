import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trainingScoreRows } from '../../src-main/core/model/contextual/detector';
import { threadHosts, type Trained } from '../helpers/thread-hosts';

/**
 * A refit of more than TRAINING_SCORE_ROWS readings measures its training figures on a hash sample of them
 * (trainingScoreRows), scored while the worker measures the holdout and its importance: the version and every
 * figure but the timing must be those of the same training on one thread, and the sample's size is reported.
 */
// 30 buildings × 300 days = 216,000 labelled readings: the refit on all of them is above TRAINING_SCORE_ROWS.
const simulate = { buildings: 30, days: 300, seed: 8 };
const rows = 216_000;

const { twoThreads, oneThread, ids, modelFile } = threadHosts('gl-ctx-sampled-', simulate, rows, 120_000);

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
