import { describe, expect, it } from 'vitest';
import { meanShift } from '../../../src-main/core/stats/mean-shift';
import { moments } from '../../../src-main/core/stats/moments';
import { EFFECT_SIZE_CAP } from '../../../src-main/core/stats/wasserstein';

describe('meanShift and moments', () => {
  it('is |Δmean| in reference standard deviations', () => {
    expect(meanShift(10, 2, 11)).toBe(0.5);
    expect(meanShift(10, 2, 9)).toBe(0.5);
  });
  it('handles a constant reference (std 0)', () => {
    expect(meanShift(3, 0, 3)).toBe(0);
    expect(meanShift(3, 0, 3.01)).toBe(EFFECT_SIZE_CAP);
  });
  it('moments use the population std and skip non-finite values', () => {
    const m = moments([2, 4, 4, 4, 5, 5, 7, 9, NaN, Infinity]);
    expect(m).toEqual({ count: 8, mean: 5, std: 2, min: 2, max: 9 });
    expect(moments([]).count).toBe(0);
  });
});
