import { describe, expect, it } from 'vitest';
import { explainRow, explainRowAt, featureShares, referenceFromColumns } from '../../../src-main/core/model/explain';
import { fitIsolationForest } from '../../../src-main/core/model/isolation-forest';
import { gaussianColumns, names } from './helpers';

describe('explain', () => {
  const cols = gaussianColumns(3000, 4, 21);
  const features = names(4);
  const model = fitIsolationForest(cols, features, { seed: 4 });
  const reference = referenceFromColumns(cols, features);

  it('names feature 2 when a point is extreme only in feature 2', () => {
    const top = explainRow(model, [0.1, -0.2, 6, 0.05], reference, 2);
    expect(top).toHaveLength(2);
    expect(top[0]!.feature).toBe('f2');
    // Splits on other features still halve the crowd before f2 cuts the point
    // loose, so f2 does not take everything, but it clearly leads.
    expect(top[0]!.contribution).toBeGreaterThan(2 * top[1]!.contribution);
    expect(top[0]!.direction).toBe('high');
    expect(top[0]!.value).toBe(6);
    expect(top[1]!.direction).toBe('within');

    const low = explainRow(model, [0.1, -0.2, -6, 0.05], reference, 1);
    expect(low[0]).toMatchObject({ feature: 'f2', direction: 'low' });
  });

  it('gives shares that sum to 1 and are roughly even for an ordinary point', () => {
    const shares = featureShares(model, [0, 0, 0, 0]);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const s of shares) expect(s).toBeGreaterThan(0.1);
  });

  it("gives bit for bit the shares of taking each split's logarithm and sharing out every feature per tree (weights are cached, only the path's features are shared out)", () => {
    // The walk as it was before the weights were cached: log2(rows at the node / rows in the child) at every split.
    const walked = (row: number[]): Float64Array => {
      const { treeOffsets, feature, threshold, left, right, size } = model.trees;
      const shares = new Float64Array(row.length);
      const perTree = new Float64Array(row.length);
      let voters = 0;
      for (let t = 0; t + 1 < treeOffsets.length; t++) {
        perTree.fill(0);
        let total = 0;
        let node = treeOffsets[t]!;
        while (feature[node]! >= 0) {
          const f = feature[node]!;
          const child = row[f]! <= threshold[node]! ? left[node]! : right[node]!;
          const w = Math.log2(size[node]! / size[child]!);
          perTree[f]! += w;
          total += w;
          node = child;
        }
        if (total === 0) continue;
        voters++;
        for (let f = 0; f < row.length; f++) shares[f]! += perTree[f]! / total;
      }
      if (voters > 0) for (let f = 0; f < row.length; f++) shares[f]! /= voters;
      return shares;
    };
    const rows = gaussianColumns(200, 4, 77);
    for (let i = 0; i < 200; i++) {
      const row = rows.map((c) => c[i]! * (i % 3 === 0 ? 4 : 1));
      if (i === 7) row[1] = NaN;
      expect(featureShares(model, row)).toEqual(walked(row));
    }
  });

  it('reads a row out of column-major data', () => {
    const data = cols.map((c) => c.slice(0, 10));
    data[0]![3] = -7;
    const top = explainRowAt(model, data, 3, reference, 4);
    expect(top.map((c) => c.feature)[0]).toBe('f0');
    expect(top.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(1, 12);
    expect(() => explainRowAt(model, data, 10, reference)).toThrow('row 10 is out of range');
  });

  it('walks the paths with what the forest saw but reports the shown (raw) values', () => {
    const seen = [0.1, -0.2, 6, 0.05];
    const raw = [10, 20, 0.5, 40]; // e.g. kW before per-id scaling
    const top = explainRow(model, seen, reference, 4, raw);
    const plain = explainRow(model, seen, reference, 4);
    expect(top.map((c) => [c.feature, c.contribution])).toEqual(plain.map((c) => [c.feature, c.contribution]));
    expect(top[0]).toMatchObject({ feature: 'f2', value: 0.5, direction: 'within' });
    const shownCols = raw.map((v) => Float64Array.of(v));
    expect(
      explainRowAt(
        model,
        seen.map((v) => Float64Array.of(v)),
        0,
        reference,
        1,
        shownCols,
      )[0]!.value,
    ).toBe(0.5);
    expect(() => explainRow(model, seen, reference, 1, [1])).toThrow('shown has 1 values, row has 4');
  });

  it('builds numpy-style reference percentiles', () => {
    const ref = referenceFromColumns([Float64Array.from({ length: 101 }, (_, i) => i)], ['x']);
    expect(ref.x).toEqual({ p05: 5, p50: 50, p95: 95 });
  });

  it('requires a reference for every feature', () => {
    expect(() => explainRow(model, [0, 0, 0, 0], { f0: reference.f0! }, 1)).toThrow('no reference percentiles for feature "f1"');
  });
});
