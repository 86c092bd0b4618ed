import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { closePredictionLog, logPredictions, predictionLog } from '../../src-main/backend/prediction-sink';
import { createState } from '../../src-main/backend/state';
import { PredictionLog, type PredictionBatch } from '../../src-main/core/monitoring';
import { Registry } from '../../src-main/core/registry';
import { tempDir } from '../helpers/backend';

/**
 * Node warns "Closing a FileHandle object on garbage collection" when a
 * FileHandle is dropped open. Two requests arriving together (a scoring's log
 * append and the alert check's or a view's read, as in the app and in watch
 * runs) each opened the prediction log; the one not kept in the cache was
 * dropped with its segment's write handles open.
 */

function batch(requestId: string): PredictionBatch {
  return {
    model: 'm',
    version: '1.0.0',
    features: ['x'],
    requestId,
    time: Date.now(),
    latencyMs: 1,
    scores: Float64Array.from([0.1, 0.2]),
    flags: new Uint8Array(2),
    values: [Float64Array.from([1, 2])],
  };
}

/**
 * Runs `body`, collects garbage a few times, and returns the warnings about handles the collector closed:
 * "Closing file descriptor N on garbage collection", and once per process the FileHandle deprecation.
 */
async function gcWarningsAfter(body: () => Promise<void>): Promise<string[]> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    await body();
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    process.off('warning', onWarning);
  }
  return warnings.filter((w) => /garbage collection/.test(w));
}

const open = PredictionLog.open.bind(PredictionLog);
afterEach(() => {
  PredictionLog.open = open;
});

describe('the prediction log cache', () => {
  it('gives callers that arrive together one log', async () => {
    const dir = join(tempDir('gl-sink-'), 'registry');
    await Registry.create(dir);
    const state = createState({ registryPath: dir });
    const [a, b, c] = await Promise.all([predictionLog(state), predictionLog(state), predictionLog(state)]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    await a.close();
  });

  it('leaves no FileHandle for the garbage collector when an append and reads arrive together', async () => {
    const warnings = await gcWarningsAfter(async () => {
      for (let round = 0; round < 8; round++) {
        const dir = join(tempDir('gl-sink-gc-'), 'registry');
        await Registry.create(dir);
        const state = createState({ registryPath: dir });
        // The read's open is the slow one (a big log, a busy disk): it finishes after the append opened the log and wrote.
        // (Patched by hand: a spy would keep every log it returned reachable, and the collector would find nothing.)
        let calls = 0;
        PredictionLog.open = async (d, o) => {
          if (calls++ === 0) await new Promise((r) => setTimeout(r, 30));
          return open(d, o);
        };
        const [read] = await Promise.all([predictionLog(state), logPredictions(state, batch(`r${round}`))]);
        PredictionLog.open = open;
        expect(read.count()).toBe(2);
        expect(await predictionLog(state)).toBe(read);
        // The backend keeps its log for its life; here the state goes, so its log is closed first.
        await read.close();
      }
    });
    expect(warnings).toEqual([]);
  });

  it('closePredictionLog closes the log of a state that is dropped, and a later use opens it again', async () => {
    const warnings = await gcWarningsAfter(async () => {
      for (let round = 0; round < 4; round++) {
        const dir = join(tempDir('gl-sink-close-'), 'registry');
        await Registry.create(dir);
        const state = createState({ registryPath: dir });
        await logPredictions(state, batch(`a${round}`));
        const first = await predictionLog(state);
        await closePredictionLog(state);
        const again = await predictionLog(state);
        expect(again).not.toBe(first);
        await logPredictions(state, batch(`b${round}`));
        expect(again.count()).toBe(4);
        // As a test fixture or a shut-down worker does: close, then drop the state.
        await closePredictionLog(state);
        await closePredictionLog(state); // nothing cached: a no-op
      }
    });
    expect(warnings).toEqual([]);
  });
});
