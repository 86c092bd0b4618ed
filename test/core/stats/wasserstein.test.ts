import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EFFECT_SIZE_CAP, normalisedWasserstein, wasserstein } from '../../../src-main/core/stats/wasserstein';
import { misc } from './fixtures';

describe('wasserstein', () => {
  it('matches scipy.stats.wasserstein_distance', () => {
    for (const c of misc().wasserstein) expect(wasserstein(c.u, c.v)).toBeCloseToRel(c.distance, { rel: 1e-12 });
  });
  it('equals a shift for translated samples', () => {
    expect(wasserstein([0, 1, 2], [5, 6, 7])).toBeCloseTo(5, 12);
  });
  it('normalises by the reference std, capping a zero-variance reference', () => {
    expect(normalisedWasserstein(0.5, 2)).toBe(0.25);
    expect(normalisedWasserstein(0, 0)).toBe(0);
    expect(normalisedWasserstein(0.1, 0)).toBe(EFFECT_SIZE_CAP);
  });
  it('is symmetric and zero on identical samples', () => {
    const s = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(s, s, (a, b) => {
        expect(wasserstein(a, b)).toBeCloseTo(wasserstein(b, a), 9);
        expect(wasserstein(a, a)).toBe(0);
      }),
    );
  });
});
