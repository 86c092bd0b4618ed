import { describe, expect, it } from 'vitest';
import { pairedRatio } from '../../../src-main/backend/loop/score-version';

describe('paired latency ratio', () => {
  it('is the median of per-chunk ratios: one spiked chunk does not move it', () => {
    expect(pairedRatio([1, 1, 1, 1, 1], [1.1, 1.1, 1.1, 9, 1.1])).toBeCloseTo(1.1, 12);
    expect(pairedRatio([2, 4], [3, 4])).toBeCloseTo(1.25, 12);
    expect(pairedRatio([], [])).toBeNull();
  });
});
