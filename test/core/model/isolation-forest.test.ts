import { TrainInputSchema } from '../../../src-main/contract/ops/model';
import { describe, expect, it } from 'vitest';
import { fitIsolationForest, predict, resolveParams, scoreSamples } from '../../../src-main/core/model/isolation-forest';
import { compileForest } from '../../../src-main/core/model/compiled-forest';
import { quantiles } from '../../../src-main/core/stats/quantile';
import { gaussianColumns, names, referenceScores } from './helpers';

describe('fitIsolationForest', () => {
  it('scores the obvious outlier of a tiny set highest', () => {
    const x = Float64Array.from([1, 1.1, 0.9, 1.05, 0.95, 1.02, 0.98, 10]);
    const y = Float64Array.from([2, 2.1, 1.9, 2.05, 1.95, 2.02, 1.98, -8]);
    const model = fitIsolationForest([x, y], ['x', 'y'], { seed: 3 });
    const scores = scoreSamples(model, [x, y]);
    const top = scores.indexOf(Math.max(...scores));
    expect(top).toBe(7);
    expect(scores[7]).toBeGreaterThan(0.6);
    expect(model.subsample).toBe(8);
    // depth limit ceil(log2(8)) = 3
    expect(compileForest(model.trees)!.depth).toBeLessThanOrEqual(3);
  });

  it('uses the model.train defaults (one definition, in the contract) and the subsample/depth rules', () => {
    const cols = gaussianColumns(1000, 3, 1);
    const model = fitIsolationForest(cols, names(3), {});
    expect(model.params).toEqual({ nTrees: 100, maxSamples: 256, contamination: 0.01, seed: 42 });
    expect(model.params).toEqual({
      nTrees: TrainInputSchema.shape.trees.parse(undefined),
      maxSamples: TrainInputSchema.shape.sampleSize.parse(undefined),
      contamination: TrainInputSchema.shape.contamination.parse(undefined),
      seed: TrainInputSchema.shape.seed.parse(undefined),
    });
    expect(model.subsample).toBe(256);
    expect(model.threshold).toBe(quantiles(scoreSamples(model, cols), [0.99])[0]);
    expect(model.trainedRows).toBe(1000);
    expect(model.trees.treeOffsets.length).toBe(101);
    const t = model.trees;
    for (let k = 0; k < 100; k++) expect(t.size[t.treeOffsets[k]!]).toBe(256);
    expect(compileForest(t)!.depth).toBe(8);
  });

  it('is reproducible: same seed, same trees and scores; another seed differs', () => {
    const cols = gaussianColumns(3000, 4, 2);
    const a = fitIsolationForest(cols, names(4), { seed: 42 });
    const b = fitIsolationForest(cols, names(4), { seed: 42 });
    const c = fitIsolationForest(cols, names(4), { seed: 43 });
    expect(b.trees).toEqual(a.trees);
    expect(scoreSamples(b, cols)).toEqual(scoreSamples(a, cols));
    expect(c.trees.threshold).not.toEqual(a.trees.threshold);
    const sa = scoreSamples(a, cols);
    const sc = scoreSamples(c, cols);
    expect(sa.some((v, i) => v !== sc[i])).toBe(true);
  });

  it('optimised kernel equals a naive recursive walk (padded and deep-tree paths)', () => {
    const train = gaussianColumns(9000, 3, 4);
    const test = gaussianColumns(257, 3, 5);
    test[1]![0] = 40; // an extreme value on the path of every tree
    const shallow = fitIsolationForest(train, names(3), { seed: 1, nTrees: 20 });
    expect(compileForest(shallow.trees)).not.toBeNull();
    const deep = fitIsolationForest(train, names(3), { seed: 1, nTrees: 5, maxSamples: 9000 });
    expect(compileForest(deep.trees)).toBeNull(); // depth 14 > 12: generic walk
    for (const model of [shallow, deep]) {
      const fast = scoreSamples(model, test);
      const slow = referenceScores(model, test);
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(slow[i]!, 12);
    }
  });

  it('never splits on a constant feature, and makes a leaf when all are constant', () => {
    const cols = gaussianColumns(2000, 4, 6);
    cols[1]!.fill(7);
    cols[3]!.fill(-2);
    const model = fitIsolationForest(cols, names(4), { seed: 9 });
    const used = new Set(model.trees.feature.filter((f) => f >= 0));
    expect([...used].sort()).toEqual([0, 2]);

    const flat = [new Float64Array(50).fill(1), new Float64Array(50).fill(2)];
    const leafOnly = fitIsolationForest(flat, ['a', 'b'], { nTrees: 3 });
    expect(Array.from(leafOnly.trees.feature)).toEqual([-1, -1, -1]);
    // Every row sits in a root leaf of 50: h = c(50) = c(ψ), score 2^-1.
    expect(scoreSamples(leafOnly, flat)[0]).toBeCloseTo(0.5, 12);
  });

  it('uses features constant only within a node for no split below that node', () => {
    // Feature 0 separates two groups; within each group feature 0 is constant,
    // so any split under a group must use feature 1.
    const n = 400;
    const a = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    const b = Float64Array.from({ length: n }, (_, i) => i);
    const model = fitIsolationForest([a, b], ['a', 'b'], { seed: 5, nTrees: 30 });
    const t = model.trees;
    let splitsOnA = 0;
    for (let i = 0; i < t.feature.length; i++) {
      if (t.feature[i] !== 0) continue;
      splitsOnA++;
      // A split on `a` must separate the groups, so its threshold lies in [0, 1).
      expect(t.threshold[i]).toBeGreaterThanOrEqual(0);
      expect(t.threshold[i]).toBeLessThan(1);
      for (const child of [t.left[i]!, t.right[i]!]) {
        // Descendants of this split never split on `a` again.
        const stack = [child];
        while (stack.length) {
          const node = stack.pop()!;
          if (t.feature[node]! < 0) continue;
          expect(t.feature[node]).toBe(1);
          stack.push(t.left[node]!, t.right[node]!);
        }
      }
    }
    // The checks above ran: 30 trees on a two-valued column do split on it.
    expect(splitsOnA).toBeGreaterThan(0);
  });

  it('contamination f flags about f of the training rows at the (1-f) quantile', () => {
    const cols = gaussianColumns(5000, 3, 7);
    for (const f of [0.01, 0.05, 0.2]) {
      const model = fitIsolationForest(cols, names(3), { contamination: f, seed: 1 });
      const scores = scoreSamples(model, cols);
      expect(model.threshold).toBe(quantiles(scores, [1 - f])[0]);
      const share = predict(model, scores).reduce((s, v) => s + v, 0) / 5000;
      expect(share).toBeCloseToRel(f, { abs: 0.002 });
    }
  });

  it("contamination 'auto' flags strictly above 0.5", () => {
    const model = fitIsolationForest(gaussianColumns(100, 2, 8), names(2), { contamination: 'auto' });
    expect(Array.from(predict(model, Float64Array.from([0.5, 0.5000001, 0.2, 0.9])))).toEqual([0, 1, 0, 1]);
  });

  it('reports progress once per tree and can be cancelled by throwing', () => {
    const cols = gaussianColumns(500, 2, 9);
    const calls: [number, number][] = [];
    fitIsolationForest(cols, names(2), { nTrees: 7 }, { progress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => [d, 7]));
    expect(() =>
      fitIsolationForest(
        cols,
        names(2),
        {},
        {
          progress: (d) => {
            if (d === 3) throw new Error('cancelled');
          },
        },
      ),
    ).toThrow('cancelled');
  });

  it('rejects bad input with clear messages', () => {
    const cols = gaussianColumns(10, 2, 10);
    expect(() => fitIsolationForest(cols, names(3), {})).toThrow('expected 3 feature columns, got 2');
    expect(() => fitIsolationForest([cols[0]!, cols[1]!.subarray(1)], names(2), {})).toThrow('has 9 rows');
    const withNaN = cols.map((c) => c.slice());
    withNaN[1]![4] = NaN;
    expect(() => fitIsolationForest(withNaN, names(2), {})).toThrow('feature "f1" row 4 is NaN');
    expect(() => fitIsolationForest([new Float64Array(1)], ['a'], {})).toThrow('at least 2 training rows');
    expect(() => fitIsolationForest(cols, ['a', 'a'], {})).toThrow('feature "a" is listed twice');
    expect(() => resolveParams({ contamination: 0.6 })).toThrow('contamination');
    expect(() => resolveParams({ nTrees: 0 })).toThrow('nTrees');
    expect(() => resolveParams({ maxSamples: 1.5 })).toThrow('maxSamples');
  });

  it('sends NaN right at every split when scoring', () => {
    const cols = gaussianColumns(1000, 2, 11);
    const model = fitIsolationForest(cols, names(2), { seed: 2, nTrees: 20 });
    const probe = [Float64Array.from([NaN, 0.3]), Float64Array.from([0.1, NaN])];
    const asInf = [Float64Array.from([Infinity, 0.3]), Float64Array.from([0.1, Infinity])];
    expect(scoreSamples(model, probe)).toEqual(scoreSamples(model, asInf));
    expect(scoreSamples(model, probe)).toEqual(referenceScores(model, probe));
  });
});
