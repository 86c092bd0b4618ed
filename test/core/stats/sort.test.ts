import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSorted, sortFinite, sortInPlace } from '../../../src-main/core/stats/sort';
import { createRng } from '../../../src-main/core/data/rng';

describe('sortFinite / radix sort', () => {
  it('matches the built-in sort on large mixed-sign data (radix path)', () => {
    const rng = createRng(1);
    const a = Float64Array.from({ length: 50_000 }, (_, i) => (i % 7 === 0 ? 0 : rng.normal() * 10 ** rng.int(8) * (i % 3 ? 1 : -1)));
    a[5] = -0;
    a[6] = Number.MIN_VALUE;
    a[7] = -Number.MAX_VALUE;
    expect(sortInPlace(a.slice())).toEqual(a.slice().sort());
  });
  it('drops NaN and ±Infinity', () => {
    expect(Array.from(sortFinite([3, NaN, -Infinity, 1, Infinity, 2]))).toEqual([1, 2, 3]);
  });
  it('agrees with the built-in sort for any doubles', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 4096, maxLength: 5000 }), (xs) => {
        const sorted = sortFinite(xs);
        expect(isSorted(sorted)).toBe(true);
        expect(sorted).toEqual(Float64Array.from(xs).sort());
      }),
      { numRuns: 20 },
    );
  });
});
