import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inSortedOrder, isSorted, sortFinite, sortInPlace } from '../../../src-main/core/stats/sort';
import { createRng } from '../../../src-main/core/data/rng';

describe('sortFinite / radix sort', () => {
  it('matches the built-in sort on large mixed-sign data (radix path)', () => {
    const rng = createRng(1);
    const a = Float64Array.from({ length: 70_000 }, (_, i) => (i % 7 === 0 ? 0 : rng.normal() * 10 ** rng.int(8) * (i % 3 ? 1 : -1)));
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
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 65_536, maxLength: 66_000 }), (xs) => {
        const sorted = sortFinite(xs);
        expect(isSorted(sorted)).toBe(true);
        expect(sorted).toEqual(Float64Array.from(xs).sort());
      }),
      { numRuns: 6 },
    );
  });
});

describe('sortInPlace on input already in order', () => {
  it('leaves a sorted array as it is and reports it in order', () => {
    const a = Float64Array.from({ length: 10_000 }, (_, i) => i / 7 - 300);
    const copy = a.slice();
    expect(inSortedOrder(a)).toBe(true);
    expect(sortInPlace(a)).toBe(a);
    expect(a).toEqual(copy);
  });
  it('is not fooled by equal zeros in the wrong order, NaN or one descent', () => {
    expect(inSortedOrder(Float64Array.from([-1, 0, -0, 1]))).toBe(false);
    expect(inSortedOrder(Float64Array.from([-1, -0, 0, 0, 1]))).toBe(true);
    expect(inSortedOrder(Float64Array.from([1, NaN, 2]))).toBe(false);
    expect(inSortedOrder(Float64Array.from([1, 2, 3, 2.5]))).toBe(false);
    const zeros = Float64Array.from([-1, 0, -0, 1]);
    sortInPlace(zeros);
    expect(Array.from(zeros, (z) => Object.is(z, -0))).toEqual([false, true, false, false]);
  });
  it('gives the same bits as sorting a shuffled copy, whether the input was sorted or not', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 6000 }), (xs) => {
        const reference = Float64Array.from(xs).sort();
        const again = sortInPlace(reference.slice());
        expect(new Uint8Array(again.buffer)).toEqual(new Uint8Array(reference.buffer));
        expect(new Uint8Array(sortInPlace(Float64Array.from(xs)).buffer)).toEqual(new Uint8Array(reference.buffer));
      }),
      { numRuns: 30 },
    );
  });
});
