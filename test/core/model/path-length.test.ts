import { describe, expect, it } from 'vitest';
import { cFactor } from '../../../src-main/core/model/isolation-forest';

describe('cFactor', () => {
  it('has the special cases of sklearn: c(0) = c(1) = 0, c(2) = 1', () => {
    expect(cFactor(0)).toBe(0);
    expect(cFactor(1)).toBe(0);
    expect(cFactor(2)).toBe(1);
  });

  it('matches sklearn _average_path_length', () => {
    // Values printed by sklearn.ensemble._iforest._average_path_length.
    const known: [number, number][] = [
      [3, 1.20739236],
      [4, 1.85165591],
      [10, 3.74888048],
      [100, 8.36467103],
      [256, 10.24477092],
      [1000, 12.96994089],
    ];
    for (const [n, c] of known) expect(cFactor(n)).toBeCloseTo(c, 7);
  });

  it('grows like 2 ln n', () => {
    expect(cFactor(1e6) - 2 * Math.log(1e6)).toBeCloseTo(2 * 0.5772156649 - 2, 4);
  });
});
