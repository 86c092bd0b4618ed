import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantiles, quantileSorted, quantilesSorted } from '../../../src-main/core/stats/quantile';
import { misc } from './fixtures';

describe('quantile (numpy linear)', () => {
  it('matches np.quantile bit for bit', () => {
    for (const c of misc().quantile) {
      const sorted = Float64Array.from(c.data).sort();
      expect(quantilesSorted(sorted, c.q)).toEqual(c.expected);
    }
  });
  it('interpolates between neighbours', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([10], 0.3)).toBe(10);
  });
  it('unsorted helper ignores NaN', () => {
    expect(quantiles([4, NaN, 1, 3, 2], [0, 0.5, 1])).toEqual([1, 2.5, 4]);
  });
  it('NaN for empty data, RangeError for q outside [0,1]', () => {
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(() => quantileSorted([1], 1.5)).toThrow(RangeError);
  });
  it('is monotone in q and stays within [min, max]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const s = Float64Array.from(xs).sort();
        const qs = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
        const v = quantilesSorted(s, qs);
        for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
        // Numerically equal: toBe would tell −0 from +0 (a sorted [−0, 0] gives +0 at q = 0).
        expect(v[0]! === s[0]!).toBe(true);
        expect(v[10]! === s[s.length - 1]!).toBe(true);
      }),
    );
  });
});
