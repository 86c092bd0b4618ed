import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { threadHosts, type Trained } from '../helpers/thread-hosts';

/**
 * With a holdout, the refit's buildings are fitted on the worker while this
 * thread finishes the first fit and evaluates it. The registered version and
 * every figure but the timing must be those of the same training on one
 * thread, and the phases must still come one after the other.
 */
// 20 buildings × 120 days = 57,600 labelled readings: above the 50,000 from which the contextual detector uses threads.
const simulate = { buildings: 20, days: 120, seed: 4 };

const { twoThreads, oneThread, ids, modelFile } = threadHosts('gl-ctx-overlap-', simulate, 57_600, 60_000);

describe('the refit beside the holdout evaluation', () => {
  it('registers the version and figures one thread does, phases in order', async () => {
    const phases: string[] = [];
    const train = { algorithm: 'contextual', holdout: 0.2 };
    const two = (await twoThreads.call(
      'model.train',
      { ...train, datasetId: ids.two },
      {
        onProgress: (phase: string) => {
          if (phases.at(-1) !== phase) phases.push(phase);
        },
      },
    )) as Trained;
    const one = (await oneThread.call('model.train', { ...train, datasetId: ids.one })) as Trained;
    expect(two.metrics.refittedOnAll).toBe(1);
    expect(two.metrics.holdoutRows).toBeGreaterThan(0.19 * 57_600);
    const { trainingMs: _a, ...twoFigures } = two.metrics;
    const { trainingMs: _b, ...oneFigures } = one.metrics;
    expect(twoFigures).toEqual(oneFigures);
    expect(readFileSync(modelFile('two', two.version))).toEqual(readFileSync(modelFile('one', one.version)));
    // The refit's buildings fitted during the evaluation are reported when the refit phase begins, never before
    // (the evaluation's last step, the registered version's own figures, follows the refit as it always did).
    expect(phases).toEqual(['training', 'evaluating', 'refitting', 'evaluating', 'registering']);
  }, 120_000);

  it('stops the refit on the worker when the evaluation is cancelled, and trains again afterwards', async () => {
    let cancelled = false;
    const job = twoThreads.call(
      'model.train',
      { algorithm: 'contextual', holdout: 0.2, datasetId: ids.two },
      {
        requestId: 'overlap-cancel',
        onProgress: (phase: string) => {
          if (!cancelled && phase === 'evaluating') {
            cancelled = true;
            twoThreads.cancel('overlap-cancel');
          }
        },
      },
    );
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    const again = (await twoThreads.call('model.train', { algorithm: 'contextual', holdout: 0.2, datasetId: ids.two })) as Trained;
    expect(again.metrics.refittedOnAll).toBe(1);
  }, 120_000);
});
