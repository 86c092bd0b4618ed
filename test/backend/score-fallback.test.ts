import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/backend/dispatch';
import { createFileLogger, LOG_FILE } from '../../src-main/backend/host/file-logger';
import { createJobContext } from '../../src-main/backend/job';
import { createState } from '../../src-main/backend/state';
import type { ScoreResult } from '../../src-main/contract/ops/model';
import type { DatasetInfo } from '../../src-main/contract/ops/data';
import { tempDir } from '../helpers/backend';

/** Parallel scoring that cannot start its threads falls back to one thread, and says so in the log. */
describe('scoring fallback', () => {
  // With one core the backend never tries threads, so there is no fallback to see.
  it.runIf(availableParallelism() >= 2)(
    'scores on one thread and writes a warn line when the scoring threads cannot start',
    async () => {
      const dir = tempDir('gl-fallback-');
      const logs = join(dir, 'logs');
      const state = createState({
        registryPath: join(dir, 'registry'),
        tempDir: join(dir, 'tmp'),
        scoreWorkerScript: join(dir, 'no-such-score-worker.js'),
        logger: createFileLogger({ dir: logs }),
      });
      const ctx = createJobContext({ jobId: 'test', op: 'test' });
      // 278 buildings × 30 days × 24 h = 200,160 rows: enough for the parallel path.
      const ds = (await dispatch('data.simulate', { buildings: 278, days: 30, seed: 3 }, ctx, state)) as DatasetInfo;
      await dispatch('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 10, normalize: 'none' }, ctx, state);
      const r = (await dispatch('model.score', { datasetId: ds.id, log: false }, ctx, state)) as ScoreResult;
      expect(r.rows).toBe(200_160);
      expect(r.threads).toBe(1);
      const lines = readFileSync(join(logs, LOG_FILE), 'utf8').trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(
          / WARN {2}Parallel scoring failed; scoring on one thread instead\. \{"rows":200160,"threads":2,"error":".+"\}$/,
        ),
      ]);
    },
    120_000,
  );
});
