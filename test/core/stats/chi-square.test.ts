import { describe, expect, it } from 'vitest';
import { alignCounts, chiSquareHomogeneity, valueCounts } from '../../../src-main/core/stats/chi-square';
import { chiSquareSf, gammaP, gammaQ, logGamma } from '../../../src-main/core/stats/gamma';
import { misc } from './fixtures';

describe('chi-square homogeneity', () => {
  it('matches scipy.stats.chi2_contingency(correction=False)', () => {
    for (const c of misc().chiSquare) {
      const r = chiSquareHomogeneity(c.ref, c.cur);
      expect(r.dof).toBe(c.dof);
      expect(r.statistic).toBeCloseToRel(c.statistic, { rel: 1e-12 });
      expect(r.pValue).toBeCloseToRel(c.pValue, { rel: 1e-10 });
    }
  });
  it('drops categories empty on both sides; one category is no test', () => {
    expect(chiSquareHomogeneity([5, 0, 5], [5, 0, 5])).toEqual({ statistic: 0, dof: 1, pValue: 1 });
    expect(chiSquareHomogeneity([5, 0], [7, 0])).toEqual({ statistic: 0, dof: 0, pValue: 1 });
  });
  it('value counts and alignment', () => {
    const r = valueCounts([2, 1, 2, NaN, -0, 0]);
    expect(r).toEqual({ values: [0, 1, 2], counts: [2, 1, 2] });
    expect(alignCounts(r, { values: [2, 3], counts: [4, 1] })).toEqual({ values: [0, 1, 2, 3], ref: [2, 1, 2, 0], cur: [0, 0, 4, 1] });
  });
});

describe('incomplete gamma', () => {
  it('chi2.sf matches scipy', () => {
    for (const c of misc().chiSquareSf) expect(chiSquareSf(c.x, c.dof)).toBeCloseToRel(c.sf, { rel: 1e-10 });
  });
  it('log-gamma of integers and halves', () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
  });
  it('P + Q = 1', () => {
    for (const [a, x] of [
      [0.5, 0.2],
      [3, 2],
      [3, 9],
      [10, 30],
    ] as const)
      expect(gammaP(a, x) + gammaQ(a, x)).toBeCloseTo(1, 14);
  });
});
