import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreSamplesParallel } from '../../src-main/backend/model/parallel-score';
import { prestartScoreWorkers } from '../../src-main/backend/model/score-threads';
import { fitIsolationForest, scoreSamples } from '../../src-main/core/model/isolation-forest';
import { gaussianColumns, names } from '../core/model/helpers';

// The development entry registers tsx, so a thread can run the TypeScript worker source.
const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));

describe('scoreSamplesParallel', () => {
  const model = fitIsolationForest(gaussianColumns(5000, 3, 41), names(3), { seed: 1, nTrees: 30 });
  const data = gaussianColumns(30001, 3, 42);

  it('gives exactly the single-threaded scores', async () => {
    const expected = scoreSamples(model, data);
    const got = await scoreSamplesParallel(model, data, {
      workerScript,
      threads: 3,
      minRowsPerThread: 1000,
    });
    expect(got).toEqual(expected);
    // The caller's columns are not detached by the transfer.
    expect(data[0]!.length).toBe(30001);
  });

  it('reports rows from every thread as one growing count, and stops when the callback throws', async () => {
    const seen: number[] = [];
    const got = await scoreSamplesParallel(model, data, {
      workerScript,
      threads: 3,
      minRowsPerThread: 1000,
      chunkRows: 1000,
      progress: (done, total) => {
        expect(total).toBe(30001);
        seen.push(done);
      },
    });
    expect(got).toEqual(scoreSamples(model, data));
    // Slices of 10,001, 10,001 and 9,999 rows in chunks of 1,000: 11 + 11 + 10 steps.
    expect(seen).toHaveLength(32);
    expect(seen.at(-1)).toBe(30001);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    // Past what the calling thread alone scores: the workers' rows were counted while it worked.
    expect(seen.filter((d) => d < 30001).some((d) => d > 10001)).toBe(true);
    const stop = new Error('cancelled by the test');
    await expect(
      scoreSamplesParallel(model, data, {
        workerScript,
        threads: 3,
        minRowsPerThread: 1000,
        chunkRows: 1000,
        progress: (done) => {
          if (done > 5000) throw stop;
        },
      }),
    ).rejects.toBe(stop);
  });

  it('stays on the calling thread for small inputs (no worker needed)', async () => {
    const got = await scoreSamplesParallel(model, data, { workerScript: '/nonexistent.js', threads: 4 });
    expect(got).toEqual(scoreSamples(model, data));
  });

  it('scores with threads started ahead (prestartScoreWorkers) exactly as with new ones', async () => {
    prestartScoreWorkers(workerScript, 2);
    // Let the spares boot, as they do while the CLI reads the file.
    await new Promise((r) => setTimeout(r, 300));
    const got = await scoreSamplesParallel(model, data, { workerScript, threads: 3, minRowsPerThread: 1000 });
    expect(got).toEqual(scoreSamples(model, data));
  });

  it('drops a prestarted thread that failed and reports the failure of its replacement', async () => {
    prestartScoreWorkers('/nonexistent/prestarted.js', 1);
    await new Promise((r) => setTimeout(r, 300));
    await expect(
      scoreSamplesParallel(model, data, { workerScript: '/nonexistent/prestarted.js', threads: 2, minRowsPerThread: 10 }),
    ).rejects.toThrow(/Cannot find module|nonexistent/);
  });

  it('reports a worker that cannot start', async () => {
    await expect(
      scoreSamplesParallel(model, data, { workerScript: '/nonexistent/worker.js', threads: 2, minRowsPerThread: 10 }),
    ).rejects.toThrow(/Cannot find module|nonexistent/);
  });
});
