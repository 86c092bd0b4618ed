import { describe, expect, it } from 'vitest';
import { jensenShannon } from '../../../src-main/core/stats/jensen-shannon';
import { misc } from './fixtures';

describe('jensenShannon (base e, like scipy.spatial.distance.jensenshannon)', () => {
  it('matches scipy in base e and base 2', () => {
    for (const c of misc().jensenShannon) {
      expect(jensenShannon(c.p, c.q)).toBeCloseToRel(c.distance, { rel: 1e-12 });
      expect(jensenShannon(c.p, c.q, 2)).toBeCloseToRel(c.distanceBase2, { rel: 1e-12 });
    }
  });
  it('is sqrt(ln 2) for disjoint supports and 0 for equal ones', () => {
    expect(jensenShannon([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 14);
    expect(jensenShannon([2, 3], [4, 6])).toBe(0);
  });
  it('rejects mismatched bins', () => {
    expect(() => jensenShannon([1], [1, 2])).toThrow(/shared bins/);
  });
});
