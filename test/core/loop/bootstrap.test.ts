import { describe, expect, it } from 'vitest';
import { jaccard, pairedBootstrap, percentileInterval, weightedAuc, weightedCounts } from '../../../src-main/core/loop/bootstrap';
import { createRng } from '../../../src-main/core/data/rng';
import { evaluateLabels, rocAuc } from '../../../src-main/core/model';

function sample(n: number, seed: number) {
  const rng = createRng(seed);
  const labels = Uint8Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0));
  // Ties on purpose: scores on a coarse grid.
  const scores = Float64Array.from(labels, (l) => Math.round((rng.next() + 0.4 * l) * 20) / 20);
  const flags = Uint8Array.from(scores, (s) => (s > 0.7 ? 1 : 0));
  return { labels, scores, flags };
}
const orderOf = (s: Float64Array) => Uint32Array.from(s.keys()).sort((a, b) => s[a]! - s[b]!);

describe('bootstrap figures', () => {
  it('unit weights give exactly core/model rocAuc and evaluateLabels', () => {
    const { labels, scores, flags } = sample(500, 3);
    const ones = new Float64Array(500).fill(1);
    expect(weightedAuc(scores, orderOf(scores), labels, ones)).toBeCloseTo(rocAuc(scores, labels)!, 12);
    const ref = evaluateLabels(scores, 0.7, labels);
    const got = weightedCounts(flags, labels, ones);
    expect(got.precision).toBeCloseTo(ref.precision, 12);
    expect(got.recall).toBeCloseTo(ref.recall, 12);
    expect(got.f1).toBeCloseTo(ref.f1, 12);
  });

  it('integer weights equal duplicating rows (a resample is a multiset)', () => {
    const { labels, scores } = sample(200, 5);
    const rng = createRng(9);
    const w = Float64Array.from({ length: 200 }, () => rng.int(3));
    const dupScores: number[] = [];
    const dupLabels: number[] = [];
    w.forEach((k, i) => {
      for (let j = 0; j < k; j++) {
        dupScores.push(scores[i]!);
        dupLabels.push(labels[i]!);
      }
    });
    expect(weightedAuc(scores, orderOf(scores), labels, w)).toBeCloseTo(rocAuc(dupScores, dupLabels)!, 12);
  });

  it('one class only: AUC is null', () => {
    const s = Float64Array.from([0.1, 0.2]);
    expect(weightedAuc(s, orderOf(s), Uint8Array.from([0, 0]), Float64Array.from([1, 1]))).toBeNull();
  });

  it('Jaccard of flag sets: known answers', () => {
    expect(jaccard(Uint8Array.from([1, 1, 0, 0]), Uint8Array.from([1, 0, 1, 0]))).toBeCloseTo(1 / 3, 12);
    expect(jaccard(Uint8Array.from([0, 0]), Uint8Array.from([0, 0]))).toBe(1);
    expect(jaccard(Uint8Array.from([1, 0]), Uint8Array.from([0, 1]))).toBe(0);
  });

  it('percentile interval is numpy percentile 2.5 / 97.5 (linear)', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(percentileInterval(values)).toEqual({ low: 2.5, high: 97.5 });
    expect(percentileInterval([NaN])).toBeNull();
  });

  it('paired bootstrap: seeded (same seed, same intervals), a version against itself has a zero difference', () => {
    const { labels, scores, flags } = sample(400, 11);
    const side = { scores, flags };
    const a = pairedBootstrap(side, side, labels, 100, 42);
    expect(pairedBootstrap(side, side, labels, 100, 42)).toEqual(a);
    expect(a.delta.f1).toEqual({ low: 0, high: 0 });
    expect(a.delta.rocAuc).toEqual({ low: 0, high: 0 });
    expect(a.champion.ci.f1.low).toBeLessThanOrEqual(a.champion.f1);
    expect(a.champion.ci.f1.high).toBeGreaterThanOrEqual(a.champion.f1);
    expect(a.champion.ci.f1.high - a.champion.ci.f1.low).toBeGreaterThan(0);
    expect(pairedBootstrap(side, side, labels, 100, 43).champion.ci.f1).not.toEqual(a.champion.ci.f1);
  });

  it('a challenger that flags every positive and nothing else has F1 1 and a positive difference', () => {
    const { labels, scores, flags } = sample(400, 13);
    const perfect = { scores: Float64Array.from(labels), flags: Uint8Array.from(labels) };
    const r = pairedBootstrap({ scores, flags }, perfect, labels, 100, 1);
    expect(r.challenger.f1).toBe(1);
    expect(r.challenger.rocAuc).toBe(1);
    expect(r.delta.f1.low).toBeGreaterThan(0);
  });
});
