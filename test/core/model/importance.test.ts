import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-main/core/data/rng';
import { fitIsolationForest } from '../../../src-main/core/model';
import { globalImportance, importanceMetrics, IMPORTANCE_ROWS } from '../../../src-main/core/model/importance';

/** f_out carries 2 % far outliers; f_plain and f_other are plain normal noise. */
function data(n: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const fOut = Float64Array.from({ length: n }, () => (rng.next() < 0.02 ? 12 + normal() : normal()));
  const fPlain = Float64Array.from({ length: n }, normal);
  const fOther = Float64Array.from({ length: n }, normal);
  return [fOut, fPlain, fOther];
}

describe('global feature importance', () => {
  const train = data(4_000, 1);
  const model = fitIsolationForest(train, ['f_out', 'f_plain', 'f_other'], { nTrees: 60, seed: 3, contamination: 0.02 });
  const holdout = data(3_000, 2);

  it('ranks the feature that carries the outliers first by attribution over the flagged rows', () => {
    const imp = globalImportance(model, holdout, 7);
    expect(imp.rows).toBe(Math.min(3_000, IMPORTANCE_ROWS));
    expect([...imp.attribution].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(imp.attribution[0]).toBeGreaterThan(imp.attribution[1]!);
    expect(imp.attribution[0]).toBeGreaterThan(imp.attribution[2]!);
    expect(imp.flagged).toBeGreaterThan(0);
    expect(imp.flagged).toBeLessThan(imp.rows);
    for (const v of imp.permutation) expect(v).toBeGreaterThan(0);
  });

  it('permutation importance is exactly 0 for a feature that does not vary in the rows measured', () => {
    const flat = [holdout[0]!, holdout[1]!, new Float64Array(3_000).fill(0.25)];
    const imp = globalImportance(model, flat, 7);
    expect(imp.permutation[2]).toBe(0);
    expect(imp.permutation[0]).toBeGreaterThan(0);
  });

  it('is seeded: the same seed gives the same figures, another seed a different sample', () => {
    const a = globalImportance(model, holdout, 7);
    expect(globalImportance(model, holdout, 7)).toEqual(a);
    expect(globalImportance(model, holdout, 8).permutation).not.toEqual(a.permutation);
  });

  it('is stored as one metric per feature and kind', () => {
    const m = importanceMetrics(model, globalImportance(model, holdout, 7));
    expect(Object.keys(m).sort()).toEqual([
      'importance_f_other',
      'importance_f_out',
      'importance_f_plain',
      'permutationImportance_f_other',
      'permutationImportance_f_out',
      'permutationImportance_f_plain',
    ]);
  });
});
