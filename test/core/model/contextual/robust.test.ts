import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import {
  absQuantile,
  finiteAtShare,
  finiteMedianAt,
  kthSmallest,
  selectKth,
  medianOf,
  robustSigma,
} from '../../../../src-main/core/model/contextual/robust';

describe('robust location and spread', () => {
  it('median by selection equals the sorted median, odd and even, with ties', () => {
    const rng = createRng(5);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const v = Float64Array.from({ length: n }, () => Math.round(rng.next() * 20));
      const s = Float64Array.from(v).sort();
      const expected = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
      expect(medianOf(v)).toBe(expected);
    }
    expect(medianOf(new Float64Array())).toBeNaN();
  });

  it('robust sigma is 1.4826 × MAD over finite values and ignores a wild outlier', () => {
    // |x − 3| = 2, 1, 0, 1, 2 → MAD 1.
    expect(robustSigma(Float64Array.from([1, 2, 3, 4, 5, NaN]))).toBeCloseTo(1.4826, 12);
    expect(robustSigma(Float64Array.from([1, 2, 3, 4, 5, 1e9]))).toBeCloseTo(1.4826 * 1.5, 12);
    expect(robustSigma(Float64Array.from([NaN]))).toBeNaN();
  });

  it('absQuantile selects the same element as sorting the finite absolute values', () => {
    const rng = createRng(9);
    for (const n of [1, 7, 1000, 8760]) {
      const v = Float64Array.from({ length: n }, (_, i) => (i % 50 === 3 ? NaN : (rng.next() - 0.5) * 10));
      const sorted = v.filter(Number.isFinite).map(Math.abs).sort();
      expect(absQuantile(v, 0.999)).toBe(sorted[Math.min(sorted.length - 1, Math.floor(0.999 * sorted.length))]);
    }
    expect(absQuantile(Float64Array.from([NaN]), 0.5)).toBeNaN();
  });

  it('finiteAtShare selects what sorting the finite values and indexing ⌊share·(n − 1)⌋ gives, repeated values included', () => {
    const rng = createRng(11);
    for (const n of [1, 2, 9, 1000, 20_000]) {
      // Few distinct values, as timestamps shared by many buildings.
      const v = Float64Array.from({ length: n }, (_, i) => (i % 37 === 5 ? NaN : Math.floor(rng.next() * 50) * 3_600_000));
      const sorted = v.filter(Number.isFinite).sort();
      for (const share of [0, 0.5, 0.8, 1]) expect(finiteAtShare(v, share)).toBe(sorted[Math.floor(share * (sorted.length - 1))]);
    }
    expect(finiteAtShare(Float64Array.from([NaN, Infinity]), 0.8)).toBeNaN();
  });

  it('finiteMedianAt is the median of the finite values at the rows given (or of all), as medianOf of their copy', () => {
    const rng = createRng(13);
    const v = Float64Array.from({ length: 500 }, (_, i) => (i % 11 === 2 ? NaN : Math.round(rng.next() * 30)));
    const rows = Int32Array.from({ length: 200 }, (_, k) => (k * 7) % 500);
    const picked = Float64Array.from(rows, (i) => v[i]!).filter(Number.isFinite);
    expect(finiteMedianAt(v, rows)).toBe(medianOf(picked));
    expect(finiteMedianAt(v)).toBe(medianOf(v.filter(Number.isFinite)));
    expect(finiteMedianAt(Float64Array.from([NaN, 4, 1, NaN]))).toBe(2.5);
    expect(finiteMedianAt(Float64Array.from([NaN]))).toBeNaN();
  });

  it('kthSmallest is the element a sort puts at k, and refuses a k outside the array', () => {
    const rng = createRng(17);
    const v = Float64Array.from({ length: 301 }, () => Math.round(rng.next() * 40));
    const sorted = Float64Array.from(v).sort();
    for (const k of [0, 1, 150, 299, 300]) expect(kthSmallest(Float64Array.from(v), k)).toBe(sorted[k]);
    expect(() => kthSmallest(v, 301)).toThrow('no element 301 among 301');
  });

  it('selectKth on ranges large enough to be sampled first: the sorted element at k, everything before it no larger, after it no smaller', () => {
    const rng = createRng(23);
    for (const [n, levels] of [
      [601, 1000],
      [5000, 7],
      [20_000, 1e9],
    ] as const) {
      const v = Float64Array.from({ length: n }, () => Math.round(rng.normal() * levels) / 10);
      const sorted = Float64Array.from(v).sort();
      for (const k of [0, 1, n >> 2, (n - 1) >> 1, n >> 1, n - 2, n - 1]) {
        const a = Float64Array.from(v);
        // Numerically equal: −0 and 0 (the data hold both) are one value to any selection.
        expect(selectKth(a, k) === sorted[k]).toBe(true);
        let before = -Infinity;
        for (let i = 0; i < k; i++) before = Math.max(before, a[i]!);
        let after = Infinity;
        for (let i = k + 1; i < n; i++) after = Math.min(after, a[i]!);
        expect(before <= a[k]! && a[k]! <= after).toBe(true);
        // The array is a permutation of the input.
        expect(Float64Array.from(a).sort()).toEqual(sorted);
      }
      // The median of an even count is the mean of the two middle elements (the lower one is the left part's largest).
      const even = v.subarray(0, n - (n % 2));
      const se = Float64Array.from(even).sort();
      expect(medianOf(even)).toBe((se[even.length / 2 - 1]! + se[even.length / 2]!) / 2);
    }
  });
});
