import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerHost } from '../../src-main/backend/host/worker-host';
import { DEFAULT_SETTINGS } from '../../src-main/contract/settings';
import { tempDir } from '../helpers/backend';

/**
 * With a holdout, the refit's buildings are fitted on the worker while this
 * thread finishes the first fit and evaluates it. The registered version and
 * every figure but the timing must be those of the same training on one
 * thread, and the phases must still come one after the other.
 */
const dir = tempDir('gl-ctx-overlap-');
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
// 20 buildings × 120 days = 57,600 labelled readings: above the 50,000 from which the contextual detector uses threads.
const simulate = { buildings: 20, days: 120, seed: 4 };
const ids: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, h] of [
    ['two', twoThreads],
    ['one', oneThread],
  ] as const) {
    const ds = (await h.call('data.simulate', simulate)) as { id: string; rows: number };
    expect(ds.rows).toBe(57_600);
    ids[name] = ds.id;
  }
}, 60_000);

afterAll(async () => {
  await twoThreads.close();
  await oneThread.close();
});

interface Trained {
  version: string;
  metrics: Record<string, number | null>;
}
const modelFile = (name: string, version: string) => join(dir, name, 'models', 'energy-anomaly', 'versions', version, 'model.json');

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
