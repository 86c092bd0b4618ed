import { describe, expect, it } from 'vitest';
import { moments } from '../../../src-main/core/stats/moments';

describe('moments', () => {
  it('matches the textbook values on small data (numpy: mean 5, std 2)', () => {
    expect(moments([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ count: 8, mean: 5, std: 2, min: 2, max: 9 });
  });

  it('values near ±1e300 give finite statistics, the small-scale ones times the scale', () => {
    const small = [9, -9, 1, 3, -7.5];
    const m = moments(small.map((v) => v * 1e298));
    const ref = moments(small);
    expect(m.count).toBe(5);
    expect(m.mean / 1e298).toBeCloseTo(ref.mean, 12);
    expect(m.std / 1e298).toBeCloseTo(ref.std, 12);
    expect(m.min).toBe(-9e298);
    expect(m.max).toBe(9e298);
    // At the edge of the double range too.
    const edge = moments([1.7e308, -1.7e308]);
    expect(edge.mean).toBe(0);
    expect(edge.std).toBe(1.7e308);
  });
});
