/**
 * What a score's summary reports about its scores: percentiles (one sort of
 * the scores) and, where rows are labelled, precision, recall, F1 and ROC AUC
 * (the same sort when every row is labelled). For 876,000 readings the sort
 * alone was ~0.07 s at the end of the request, with the other thread idle; a
 * scoring with no output file to format hands it to that thread while this
 * one logs the predictions (statsOnThread), and uses it if what the output
 * shows are the scores it sent (no A/B run changed them).
 */
import { evaluateLabels, sortedScores, summarizeScores, type Evaluation, type ScoreSummary } from '../../core/model/evaluate';
import { runOnThread, sharedCopy, type ThreadOptions } from './score-threads';

export interface ScoreStats {
  summary: ScoreSummary;
  evaluation: NonNullable<Evaluation['labelled']> | null;
}

/** A pooled thread's request: `scores` and `labels` (NaN = unknown) in shared memory. */
export interface ScoreStatsRequest {
  kind: 'score-stats';
  scores: Float64Array;
  labels: Float64Array | null;
  threshold: number;
}

export type ScoreStatsReply = { ok: true; stats: ScoreStats } | { ok: false; message: string };

export function scoreStats(scores: Float64Array, labels: Float64Array | null, threshold: number): ScoreStats {
  const known = labels ? knownLabels(scores, labels) : null;
  // Every row labelled (the usual case): the summary and the ROC AUC share one sort of the scores.
  const sorted = sortedScores(scores);
  const evaluation = known ? evaluateLabels(known.scores, threshold, known.labels, known.scores === scores ? sorted : undefined) : null;
  return { summary: summarizeScores(scores, sorted), evaluation };
}

/** Rows with a known label (labels NaN = unknown), for evaluation. */
export function knownLabels(scores: Float64Array, labels: Float64Array): { scores: Float64Array; labels: Float64Array } | null {
  let known = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === labels[i]) known++;
  if (known === 0) return null;
  // The usual case (every row labelled) builds no index list.
  if (known === labels.length) return { scores, labels };
  const keep: number[] = [];
  for (let i = 0; i < labels.length; i++) if (!Number.isNaN(labels[i]!)) keep.push(i);
  return { scores: Float64Array.from(keep, (i) => scores[i]!), labels: Float64Array.from(keep, (i) => labels[i]!) };
}

/** The pooled threads of `state`, or null when it has none. */
export function scoreThreadOptions(state: { scoreWorkerScript: string | null }): ThreadOptions | null {
  return state.scoreWorkerScript ? { workerScript: state.scoreWorkerScript } : null;
}

/** Below this many rows the stats are not worth a thread's round trip. */
const THREAD_MIN_ROWS = 200_000;

/**
 * scoreStats on a pooled thread, started now (or once `after` settles: the
 * pooled thread is busy until then, e.g. formatting the output file, and a
 * request now would start another thread); `use(shown)` gives its result
 * when `shown` are the scores it was started with, else the stats of `shown`
 * worked out here (also when the thread failed). Null `threads`: here, when asked.
 */
export function statsOnThread(
  threads: ThreadOptions | null,
  scores: Float64Array,
  labels: Float64Array | null,
  threshold: number,
  after: Promise<unknown> = Promise.resolve(),
): (shown: Float64Array) => Promise<ScoreStats> {
  const here = (shown: Float64Array): Promise<ScoreStats> => Promise.resolve(scoreStats(shown, labels, threshold));
  if (!threads || scores.length < THREAD_MIN_ROWS) return here;
  const request: ScoreStatsRequest = { kind: 'score-stats', scores: sharedCopy(scores), labels: labels && sharedCopy(labels), threshold };
  const pending = after
    .catch(() => undefined)
    .then(() => runOnThread<ScoreStatsReply>(threads, request, []))
    .then(
      (r) => r.stats,
      () => null,
    );
  return async (shown) =>
    shown === scores ? ((await pending) ?? scoreStats(shown, labels, threshold)) : scoreStats(shown, labels, threshold);
}
