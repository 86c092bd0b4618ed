import { scoreRange } from '../../core/model/score-kernel';
import type { ForestArrays } from '../../core/model/types';

/**
 * A batch of rows scored while the file is read (score-ahead.ts) is claimed in parts, not whole: when the import
 * ends, this thread and the pooled one share out what is left, and each finishes by waiting for the other's last
 * claim. A whole batch (8,192 rows, ~18 ms) left one thread idle for up to that long at that barrier (17-33 ms
 * in profiles); a quarter of one leaves a quarter of that.
 */
export const FEED_PARTS = 4;
/** Bytes before a batch's columns in its shared block: one claim cell per part, padded to 8 bytes. */
export const FEED_HEAD_BYTES = Math.ceil((FEED_PARTS * 4) / 8) * 8;

/** Claim cell states. */
export const FREE = 0;
export const TAKEN = 1;
export const DONE = 2;

/** A batch in shared memory: part p is scored by whichever thread first moves `claim[p]` from FREE to TAKEN (DONE when scored). */
export interface FeedBatch {
  claim: Int32Array;
  columns: Float64Array[];
  scores: Float64Array;
}

/** Rows [from, to) of part `p` of a batch of `n` rows. */
export function partRows(n: number, p: number): [number, number] {
  return [Math.floor((p * n) / FEED_PARTS), Math.floor(((p + 1) * n) / FEED_PARTS)];
}

/** Scores the parts of `batch` no thread has claimed yet; returns the rows it scored. */
export function scoreFreeParts(batch: FeedBatch, trees: ForestArrays, subsample: number): number {
  const n = batch.scores.length;
  let rows = 0;
  for (let p = 0; p < FEED_PARTS; p++) {
    if (Atomics.compareExchange(batch.claim, p, FREE, TAKEN) !== FREE) continue;
    const [from, to] = partRows(n, p);
    scoreRange(trees, subsample, batch.columns, from, to, batch.scores);
    Atomics.store(batch.claim, p, DONE);
    rows += to - from;
  }
  return rows;
}

/** Scores here every part of `batch` not DONE (claimed by a thread that then failed); true when there were any. */
export function scoreUnfinishedParts(batch: FeedBatch, trees: ForestArrays, subsample: number): boolean {
  const n = batch.scores.length;
  let any = false;
  for (let p = 0; p < FEED_PARTS; p++) {
    if (Atomics.load(batch.claim, p) === DONE) continue;
    const [from, to] = partRows(n, p);
    scoreRange(trees, subsample, batch.columns, from, to, batch.scores);
    any = true;
  }
  return any;
}
