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
import { inSharedMemory } from '../../core/data/column-memory';
import { runOnThread, type ThreadOptions } from './score-threads';

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
  /** [0]: 0 until a thread takes the work (1): the pooled thread, or the asking one if it needs the stats first. */
  claim: Int32Array;
}

/** `stats` null: the asking thread had claimed the work. */
export type ScoreStatsReply = { ok: true; stats: ScoreStats | null } | { ok: false; message: string };

/** The stats a request asks for, unless another thread has claimed the work (then null). */
export function claimedScoreStats(request: ScoreStatsRequest): ScoreStats | null {
  if (Atomics.compareExchange(request.claim, 0, 0, 1) !== 0) return null;
  return scoreStats(request.scores, request.labels, request.threshold);
}

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

/** The score summary of a request, and when the pooled thread that may be working it out is free again. */
export interface StatsOnThread {
  /** The stats of `shown`: the thread's when they are the scores it was asked about, else (or if it failed) worked out here. */
  (shown: Float64Array): Promise<ScoreStats>;
  /** Settles when the pooled thread is done with the stats (at once when none was asked): a request for it after that finds it pooled. */
  threadFree: Promise<void>;
}

/**
 * scoreStats on a pooled thread, asked now; the returned function gives its
 * result when `shown` are the scores it was asked for, else the stats of
 * `shown` worked out here (also when the thread failed). Whichever thread
 * gets to the work first does it (a claim cell in shared memory): the asking
 * thread does not wait for a pooled one still busy with something else.
 * Null `threads`: here, when asked.
 */
export function statsOnThread(
  threads: ThreadOptions | null,
  scores: Float64Array,
  labels: Float64Array | null,
  threshold: number,
): StatsOnThread {
  const here = (shown: Float64Array): Promise<ScoreStats> => Promise.resolve(scoreStats(shown, labels, threshold));
  if (!threads || scores.length < THREAD_MIN_ROWS) return Object.assign(here, { threadFree: Promise.resolve() });
  const request: ScoreStatsRequest = {
    kind: 'score-stats',
    scores: inSharedMemory(scores),
    labels: labels && inSharedMemory(labels),
    threshold,
    claim: new Int32Array(new SharedArrayBuffer(4)),
  };
  const pending = runOnThread<ScoreStatsReply>(threads, request, []).then(
    (r) => r.stats,
    () => null,
  );
  const use = async (shown: Float64Array): Promise<ScoreStats> => {
    if (shown !== scores) return scoreStats(shown, labels, threshold);
    // Not taken by the thread yet: worked out here now.
    if (Atomics.compareExchange(request.claim, 0, 0, 1) === 0) return scoreStats(scores, labels, threshold);
    return (await pending) ?? scoreStats(shown, labels, threshold);
  };
  return Object.assign(use, { threadFree: pending.then(() => undefined) });
}
