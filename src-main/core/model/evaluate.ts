/**
 * Quality figures for a scored data set: confusion counts, precision, recall
 * and F1 at the model's threshold; ROC AUC from the ranks of the scores; and a
 * summary of the score distribution. Labels are optional (unlabelled data
 * still gets the distribution and anomaly rate; label-based figures are null).
 */
import { quantileSorted } from '../stats/quantile';
import { sortInPlace } from '../stats/sort';

/**
 * The scores sorted ascending, in a copy: by radix sort when there is no NaN
 * (the built-in sort took ~0.2 s per million, twice per scored file), else
 * by the built-in sort (NaN last). Both order −0 before +0, so they agree.
 */
/** The scores in ascending order (NaN last): summarizeScores and rocAuc of the same scores can share one sort. */
export function sortedScores(scores: ArrayLike<number>): Float64Array {
  return sortedCopy(scores);
}

function sortedCopy(scores: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(scores);
  for (let i = 0; i < copy.length; i++) if (copy[i] !== copy[i]) return copy.sort();
  return sortInPlace(copy);
}

export interface ScoreSummary {
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface Evaluation {
  rows: number;
  threshold: number;
  flagged: number;
  /** flagged / rows. */
  anomalyRate: number;
  scores: ScoreSummary;
  /** Present when labels were given. */
  labelled: {
    positives: number;
    tp: number;
    fp: number;
    fn: number;
    tn: number;
    /** 0 when nothing is flagged (sklearn's zero_division=0). */
    precision: number;
    /** 0 when there are no positives. */
    recall: number;
    f1: number;
    /** null when the labels hold only one class, where AUC is undefined. */
    rocAuc: number | null;
  } | null;
}

export function summarizeScores(scores: ArrayLike<number>, sorted?: Float64Array): ScoreSummary {
  if (scores.length === 0) return { min: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  sorted ??= sortedCopy(scores);
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return {
    min: sorted[0]!,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
    mean: sum / sorted.length,
  };
}

/**
 * ROC AUC as the Mann-Whitney statistic: the probability that a random
 * positive scores above a random negative, ties counting one half. Computed
 * from average ranks in O(n log n). Labels: non-zero = positive.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, sorted?: Float64Array): number | null {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`${n} scores but ${labels.length} labels`);
  // A typed sort of the scores alone, then each positive's tie group found by
  // binary search: the same average ranks as sorting row indices by score,
  // several times faster (NaN scores, which have no rank, take the slow path).
  sorted ??= sortedCopy(scores);
  if (n > 0 && Number.isNaN(sorted[n - 1]!)) return rocAucByIndexSort(scores, labels);
  let positives = 0;
  let positiveRankSum = 0;
  for (let i = 0; i < n; i++) {
    if (!labels[i]) continue;
    const s = scores[i]!;
    positives++;
    // Tie group [first, last] in 0-based positions; its average 1-based rank.
    positiveRankSum += (lowerBound(sorted, s) + upperBound(sorted, s) - 1) / 2 + 1;
  }
  return aucFromRanks(n, positives, positiveRankSum);
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function aucFromRanks(n: number, positives: number, positiveRankSum: number): number | null {
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function rocAucByIndexSort(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]) {
        positives++;
        positiveRankSum += rank;
      }
    }
    i = j + 1;
  }
  return aucFromRanks(n, positives, positiveRankSum);
}

export function evaluate(scores: ArrayLike<number>, threshold: number, labels?: ArrayLike<number>): Evaluation {
  const n = scores.length;
  let flagged = 0;
  for (let i = 0; i < n; i++) if (scores[i]! > threshold) flagged++;
  const base = { rows: n, threshold, flagged, anomalyRate: n > 0 ? flagged / n : 0, scores: summarizeScores(scores) };
  return { ...base, labelled: labels ? evaluateLabels(scores, threshold, labels) : null };
}

/** The label-based part of evaluate() alone, for callers that summarize the scores themselves. */
export function evaluateLabels(
  scores: ArrayLike<number>,
  threshold: number,
  labels: ArrayLike<number>,
  /** sortedScores(scores), when the caller has it already. */
  sorted?: Float64Array,
): NonNullable<Evaluation['labelled']> {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`${n} scores but ${labels.length} labels`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const flag = scores[i]! > threshold;
    const positive = labels[i]! !== 0;
    if (flag && positive) tp++;
    else if (flag) fp++;
    else if (positive) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { positives: tp + fn, tp, fp, fn, tn: n - tp - fp - fn, precision, recall, f1, rocAuc: rocAuc(scores, labels, sorted) };
}
