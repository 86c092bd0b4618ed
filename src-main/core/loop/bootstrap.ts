import type { Interval } from '../../contract/shared/loop';
import { createRng } from '../data/rng';
import { quantileSorted } from '../stats/quantile';

/**
 * Label-based figures of two versions on the same rows, with seeded paired
 * bootstrap intervals: every resample draws the same rows for both sides, so
 * the interval of the difference reflects the versions, not the draw. Each
 * resample is O(n): rows get multinomial weights, and ROC AUC is the weighted
 * Mann-Whitney statistic over a sort order computed once per side.
 */

export interface Side {
  scores: Float64Array;
  flags: Uint8Array;
}

export interface Figures {
  precision: number;
  recall: number;
  f1: number;
  /** null when the rows hold one class only. */
  rocAuc: number | null;
}

export interface BootstrapResult {
  champion: Figures & { ci: CiSet };
  challenger: Figures & { ci: CiSet };
  delta: { f1: Interval; rocAuc: Interval | null };
}

export interface CiSet {
  precision: Interval;
  recall: Interval;
  f1: Interval;
  rocAuc: Interval | null;
}

/** Row indices sorted by score, ascending. */
function orderOf(scores: Float64Array): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[a]! - scores[b]!);
}

/** Precision, recall and F1 of flags against labels (1 = anomaly) with row weights. */
export function weightedCounts(flags: Uint8Array, labels: Uint8Array, w: Float64Array): Omit<Figures, 'rocAuc'> {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < flags.length; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    if (flags[i]) {
      if (labels[i]) tp += wi;
      else fp += wi;
    } else if (labels[i]) fn += wi;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Weighted ROC AUC (ties count one half); null when either class has no weight. */
export function weightedAuc(scores: Float64Array, order: Uint32Array, labels: Uint8Array, w: Float64Array): number | null {
  let negBelow = 0;
  let sum = 0;
  let pos = 0;
  let neg = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    const s = scores[order[i]!]!;
    let posW = 0;
    let negW = 0;
    while (j < order.length && scores[order[j]!]! === s) {
      const r = order[j]!;
      if (labels[r]) posW += w[r]!;
      else negW += w[r]!;
      j++;
    }
    sum += posW * (negBelow + 0.5 * negW);
    negBelow += negW;
    pos += posW;
    neg += negW;
    i = j;
  }
  return pos > 0 && neg > 0 ? sum / (pos * neg) : null;
}

function figures(side: Side, order: Uint32Array, labels: Uint8Array, w: Float64Array): Figures {
  return { ...weightedCounts(side.flags, labels, w), rocAuc: weightedAuc(side.scores, order, labels, w) };
}

/** The 2.5 % and 97.5 % quantiles of the finite values; null when none is finite. */
export function percentileInterval(values: number[]): Interval | null {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  if (sorted.length === 0) return null;
  return { low: quantileSorted(sorted, 0.025), high: quantileSorted(sorted, 0.975) };
}

const point = (v: number): Interval => ({ low: v, high: v });

export function pairedBootstrap(champion: Side, challenger: Side, labels: Uint8Array, resamples: number, seed: number): BootstrapResult {
  const n = labels.length;
  const orders = [orderOf(champion.scores), orderOf(challenger.scores)] as const;
  const ones = new Float64Array(n).fill(1);
  const full = [figures(champion, orders[0], labels, ones), figures(challenger, orders[1], labels, ones)] as const;
  const draws = { a: [] as Figures[], b: [] as Figures[] };
  const rng = createRng(seed);
  const w = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    w.fill(0);
    for (let i = 0; i < n; i++) w[rng.int(n)]!++;
    draws.a.push(figures(champion, orders[0], labels, w));
    draws.b.push(figures(challenger, orders[1], labels, w));
  }
  const ciOf = (list: Figures[], f: Figures): CiSet => ({
    precision: percentileInterval(list.map((x) => x.precision)) ?? point(f.precision),
    recall: percentileInterval(list.map((x) => x.recall)) ?? point(f.recall),
    f1: percentileInterval(list.map((x) => x.f1)) ?? point(f.f1),
    rocAuc: f.rocAuc === null ? null : percentileInterval(list.map((x) => x.rocAuc ?? NaN)),
  });
  const aucDelta = draws.b.map((x, i) => (x.rocAuc ?? NaN) - (draws.a[i]!.rocAuc ?? NaN));
  return {
    champion: { ...full[0], ci: ciOf(draws.a, full[0]) },
    challenger: { ...full[1], ci: ciOf(draws.b, full[1]) },
    delta: {
      f1: percentileInterval(draws.b.map((x, i) => x.f1 - draws.a[i]!.f1)) ?? point(full[1].f1 - full[0].f1),
      rocAuc: full[0].rocAuc === null || full[1].rocAuc === null ? null : percentileInterval(aucDelta),
    },
  };
}

/** |A ∩ B| / |A ∪ B| of the flagged rows; 1 when neither flags anything. */
export function jaccard(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) both++;
    if (a[i] || b[i]) either++;
  }
  return either === 0 ? 1 : both / either;
}
