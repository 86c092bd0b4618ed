import { describe, expect, it } from 'vitest';
import { warmUpCsvRows, warmUpScoring, warmUpStats } from '../../src-main/backend/model/score-worker';
import { fitIsolationForest } from '../../src-main/core/model/isolation-forest';
import { scoreRange } from '../../src-main/core/model/score-kernel';
import type { ForestArrays } from '../../src-main/core/model/types';
import { gaussianColumns, names, referenceScores } from '../core/model/helpers';

/** The made-up rows a score feed scores while it waits for its first batch (score-worker.ts). */
describe('warmUpScoring', () => {
  it('leaves the scores of real rows as the naive walk gives them, for a forest that splits on only some features', () => {
    // Feature 2 is a constant: no tree splits on it, so the warm-up sees fewer features than the model has.
    const columns = gaussianColumns(3000, 3, 8);
    columns[2]!.fill(1);
    const model = fitIsolationForest(columns, names(3), { seed: 4, nTrees: 30 });
    expect(Math.max(...model.trees.feature)).toBe(1);
    warmUpScoring(model.trees, model.subsample);
    const rows = gaussianColumns(500, 3, 9);
    const out = new Float64Array(500);
    scoreRange(model.trees, model.subsample, rows, 0, 500, out);
    const expected = referenceScores(model, rows);
    for (let i = 0; i < 500; i++) expect(out[i]).toBeCloseTo(expected[i]!, 12);
  });

  it('copes with a forest of single leaves (no split at all)', () => {
    const leaf: ForestArrays = {
      treeOffsets: Int32Array.from([0, 1, 2]),
      feature: Int32Array.from([-1, -1]),
      threshold: new Float64Array(2),
      left: Int32Array.from([-1, -1]),
      right: Int32Array.from([-1, -1]),
      size: Int32Array.from([8, 8]),
      leafValue: Float64Array.from([2.5, 2.5]),
    };
    expect(() => warmUpScoring(leaf, 8)).not.toThrow();
  });
});

describe('warmUpCsvRows', () => {
  it('formats its made-up table as CSV rows (times, ids with gaps, decimals with gaps, whole numbers, long scores)', () => {
    // The first 64 characters of each half: row 0 (no id, no kW) and row 1,024.
    expect(warmUpCsvRows()).toBe(
      '2023-11-14T22:13:20.000Z,,,0,0.007071067811865475\n2023-11-14T22:' +
        '2023-11-20T06:13:20.000Z,B1,2.75,7,0.32007811546558446\n2023-11-2',
    );
  });
});

describe('warmUpStats', () => {
  it('summarises its made-up scores (about uniform on [0, 1)) against labels that the scores separate perfectly', () => {
    const { summary, evaluation } = warmUpStats();
    expect(summary.p50).toBeCloseTo(0.5, 2);
    expect(summary.max).toBeLessThan(1);
    expect(evaluation!.recall).toBe(1);
    expect(evaluation!.rocAuc).toBe(1);
    // Flagged above 0.9, anomalous above 0.97: about 3 in 10 flags are right.
    expect(evaluation!.precision).toBeCloseTo(0.3, 2);
  });
});
