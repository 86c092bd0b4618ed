import { describe, expect, it } from 'vitest';
import {
  DONE,
  FEED_HEAD_BYTES,
  FEED_PARTS,
  FREE,
  partRows,
  scoreFreeParts,
  scoreUnfinishedParts,
  TAKEN,
  type FeedBatch,
} from '../../src-main/backend/model/feed-parts';
import { fitIsolationForest } from '../../src-main/core/model/isolation-forest';
import { scoreSamples } from '../../src-main/core/model';
import { gaussianColumns, names } from '../core/model/helpers';

const model = fitIsolationForest(gaussianColumns(2_000, 3, 1), names(3), { nTrees: 25, maxSamples: 128, seed: 3 });

/** A batch laid out as score-ahead.ts lays it out: claim cells, the columns, the scores, in one shared block. */
function batchOf(columns: Float64Array[]): FeedBatch {
  const n = columns[0]!.length;
  const shared = new SharedArrayBuffer(FEED_HEAD_BYTES + (columns.length + 1) * n * 8);
  return {
    claim: new Int32Array(shared, 0, FEED_PARTS),
    columns: columns.map((c, f) => {
      const col = new Float64Array(shared, FEED_HEAD_BYTES + f * n * 8, n);
      col.set(c);
      return col;
    }),
    scores: new Float64Array(shared, FEED_HEAD_BYTES + columns.length * n * 8, n),
  };
}

describe('a score-ahead batch claimed in parts', () => {
  it('cuts any batch into parts that cover its rows once, in order', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8_191, 8_192]) {
      let at = 0;
      for (let p = 0; p < FEED_PARTS; p++) {
        const [from, to] = partRows(n, p);
        expect(from).toBe(at);
        expect(to).toBeGreaterThanOrEqual(from);
        at = to;
      }
      expect(at).toBe(n);
    }
    expect(FEED_HEAD_BYTES % 8).toBe(0);
    expect(FEED_HEAD_BYTES).toBeGreaterThanOrEqual(FEED_PARTS * 4);
  });

  it('scores only the parts no thread claimed, and after a failure the unfinished ones: the scores of the whole batch', () => {
    const columns = gaussianColumns(1_001, 3, 9);
    const expected = scoreSamples(model, columns);
    const batch = batchOf(columns);
    // Another thread took part 1 and finished it, and took part 2 and failed in it.
    Atomics.store(batch.claim, 1, TAKEN);
    const [from1, to1] = partRows(1_001, 1);
    batch.scores.set(expected.subarray(from1, to1), from1);
    Atomics.store(batch.claim, 1, DONE);
    Atomics.store(batch.claim, 2, TAKEN);
    const [from2, to2] = partRows(1_001, 2);
    const scored = scoreFreeParts(batch, model.trees, model.subsample);
    expect(scored).toBe(1_001 - (to1 - from1) - (to2 - from2));
    expect(Array.from(batch.claim)).toEqual([DONE, DONE, TAKEN, DONE]);
    expect(Array.from(batch.scores.subarray(from2, to2)).every((s) => s === 0)).toBe(true);
    // A second pass finds nothing free.
    expect(scoreFreeParts(batch, model.trees, model.subsample)).toBe(0);
    expect(scoreUnfinishedParts(batch, model.trees, model.subsample)).toBe(true);
    expect(Array.from(batch.scores)).toEqual(Array.from(expected));
    expect(Atomics.load(batch.claim, 0)).toBe(DONE);
    expect(FREE).toBe(0);
  });

  it('with every part done elsewhere, scores nothing here', () => {
    const batch = batchOf(gaussianColumns(64, 3, 2));
    for (let p = 0; p < FEED_PARTS; p++) Atomics.store(batch.claim, p, DONE);
    expect(scoreFreeParts(batch, model.trees, model.subsample)).toBe(0);
    expect(scoreUnfinishedParts(batch, model.trees, model.subsample)).toBe(false);
    expect(Array.from(batch.scores).every((s) => s === 0)).toBe(true);
  });
});
