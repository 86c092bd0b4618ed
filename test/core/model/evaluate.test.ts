import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateLabels, rocAuc, sortedScores, summarizeScores } from '../../../src-main/core/model/evaluate';

describe('rocAuc', () => {
  it('counts ties as one half (hand-computed Mann-Whitney)', () => {
    // Positive/negative pairs: (.35,.1)=1 (.35,.4)=0 (.8,.1)=1 (.8,.4)=1 (.4,.1)=1 (.4,.4)=½ → 4.5/6.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 1, 1, 1])).toBeCloseTo(0.75, 15);
  });

  it('matches sklearn roc_auc_score on a set with several tie groups', () => {
    // sklearn.metrics.roc_auc_score(y, s) = 0.8166666666666667
    const s = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const y = [1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0];
    expect(rocAuc(s, y)).toBeCloseTo(0.8166666666666667, 15);
  });

  it('equals the pairwise Mann-Whitney count on random scores with ties, -0 and NaN labels (property)', () => {
    const pairwise = (s: number[], y: number[]): number | null => {
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < s.length; i++)
        for (let j = 0; j < s.length; j++)
          if (y[i] && !y[j]) {
            pairs++;
            wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
          }
      return pairs ? wins / pairs : null;
    };
    const rows = fc.array(fc.tuple(fc.constantFrom(-0, 0, 0.25, 0.5, 0.75, 1, 0.5000001), fc.constantFrom(0, 1, NaN)), {
      minLength: 1,
      maxLength: 60,
    });
    fc.assert(
      fc.property(rows, (r) => {
        const s = r.map(([v]) => v);
        const y = r.map(([, l]) => l);
        const got = rocAuc(s, y);
        const want = pairwise(s, y);
        return want === null ? got === null : got !== null && Math.abs(got - want) < 1e-12;
      }),
      { numRuns: 2000 },
    );
  });

  it('is 1 for perfect ranking, 0 for reversed, 0.5 when all scores tie, null with one class', () => {
    expect(rocAuc([0.1, 0.2, 0.9], [0, 0, 1])).toBe(1);
    expect(rocAuc([0.9, 0.2, 0.1], [0, 0, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNull();
  });
});

describe('summarizeScores', () => {
  it('uses numpy linear percentiles', () => {
    // numpy.percentile([.1,.4,.35,.8,.4], [50,95,99]) = [0.4, 0.72, 0.784]
    const s = summarizeScores([0.1, 0.4, 0.35, 0.8, 0.4]);
    expect(s.min).toBe(0.1);
    expect(s.max).toBe(0.8);
    expect(s.p50).toBeCloseTo(0.4, 15);
    expect(s.p95).toBeCloseTo(0.72, 15);
    expect(s.p99).toBeCloseTo(0.784, 15);
    expect(s.mean).toBeCloseTo(0.41, 15);
  });
});

describe('evaluate', () => {
  it('computes the confusion counts and metrics at the threshold', () => {
    const e = evaluate([0.1, 0.4, 0.35, 0.8, 0.4], 0.38, [0, 0, 1, 1, 1]);
    expect(e.flagged).toBe(3);
    expect(e.anomalyRate).toBeCloseTo(0.6, 15);
    expect(e.labelled).toMatchObject({ positives: 3, tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(e.labelled!.precision).toBeCloseTo(2 / 3, 15);
    expect(e.labelled!.recall).toBeCloseTo(2 / 3, 15);
    expect(e.labelled!.f1).toBeCloseTo(2 / 3, 15);
    expect(e.labelled!.rocAuc).toBeCloseTo(0.75, 15);
  });

  it('flags strictly above the threshold and gives 0 precision when nothing is flagged', () => {
    const e = evaluate([0.5, 0.5], 0.5, [1, 0]);
    expect(e.flagged).toBe(0);
    expect(e.labelled).toMatchObject({ precision: 0, recall: 0, f1: 0, rocAuc: 0.5 });
  });

  it('still summarises unlabelled scores', () => {
    const e = evaluate([0.2, 0.7, 0.6], 0.5);
    expect(e.labelled).toBeNull();
    expect(e.flagged).toBe(2);
    expect(e.scores.max).toBe(0.7);
  });

  it('rejects mismatched labels', () => {
    expect(() => evaluate([0.1, 0.2], 0.5, [1])).toThrow('2 scores but 1 labels');
  });

  it('gives on large inputs (radix-sorted) exactly what a plain sort and pairwise count give, ties and signed zeros included', () => {
    const n = 9000;
    const scores = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? (i % 2 ? -0 : 0) : Math.round(Math.sin(i) * 50) / 100));
    const labels = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 || (scores[i]! > 0.3 && i % 3 === 0) ? 1 : 0));
    const sorted = Float64Array.from(scores).sort();
    const s = summarizeScores(scores);
    expect([s.min, s.max]).toEqual([sorted[0], sorted[n - 1]]);
    expect(s.p50).toBe((sorted[4499]! + sorted[4500]!) / 2);
    // Mann-Whitney by counting: pairs (positive, negative) won, ties half.
    const pos = Array.from(scores).filter((_, i) => labels[i]);
    const neg = Float64Array.from(Array.from(scores).filter((_, i) => !labels[i])).sort();
    let won = 0;
    for (const p of pos) {
      let below = 0;
      let tie = 0;
      for (const q of neg) {
        if (q < p) below++;
        else if (q === p) tie++;
      }
      won += below + tie / 2;
    }
    expect(rocAuc(scores, labels)).toBeCloseTo(won / (pos.length * neg.length), 12);
  });
});

describe('one sort shared by the summary and the ROC AUC', () => {
  it('gives the same summary, AUC and evaluation as sorting in each (ties, NaN and all)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(0.5), fc.constant(NaN)), fc.boolean()), {
          minLength: 1,
          maxLength: 200,
        }),
        (rows) => {
          const scores = Float64Array.from(rows, ([s]) => s);
          const labels = Float64Array.from(rows, ([, l]) => (l ? 1 : 0));
          const sorted = sortedScores(scores);
          expect(summarizeScores(scores, sorted)).toEqual(summarizeScores(scores));
          expect(rocAuc(scores, labels, sorted)).toBe(rocAuc(scores, labels));
          expect(evaluateLabels(scores, 0.5, labels, sorted)).toEqual(evaluateLabels(scores, 0.5, labels));
        },
      ),
    );
  });
});
