import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { medianOf, robustSigma } from '../../../../src-main/core/model/contextual/robust';

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
});
