import { describe, expect, it } from 'vitest';
import { kstwoCdf, kstwoSf } from '../../../src-main/core/stats/kolmogorov';
import { smirnovSf } from '../../../src-main/core/stats/smirnov';
import { isCloseRel } from '../../helpers/matchers';
import { kstwo } from './fixtures';

describe('kstwoSf against scipy.stats.kstwo.sf', () => {
  const { kstwo: grid, smirnov } = kstwo();
  it('matches on a grid visiting every branch (n = 1 … 1.5e6)', () => {
    const bad = grid.filter((g) => !isCloseRel(kstwoSf(g.d, g.n), g.sf, { rel: 1e-8, abs: 1e-300 }));
    expect(bad.map((g) => ({ ...g, got: kstwoSf(g.d, g.n) }))).toEqual([]);
  });
  it('cdf + sf ≈ 1 (scipy itself uses different methods for the two tails above n = 140)', () => {
    for (const g of grid) expect(kstwoCdf(g.d, g.n) + kstwoSf(g.d, g.n), `d ${g.d}, n ${g.n}`).toBeCloseToRel(1, { abs: 1e-6 });
  });
  it('smirnov (one-sided) matches scipy.special.smirnov', () => {
    const bad = smirnov.filter((s) => !isCloseRel(smirnovSf(s.n, s.x), s.sf, { rel: 1e-8, abs: 1e-300 }));
    expect(bad.map((s) => ({ ...s, got: smirnovSf(s.n, s.x) }))).toEqual([]);
  });
  it('support edges', () => {
    expect(kstwoSf(0, 10)).toBe(1);
    expect(kstwoSf(0.05, 10)).toBe(1); // below 1/(2n)
    expect(kstwoSf(1, 10)).toBe(0);
    expect(kstwoSf(NaN, 10)).toBeNaN();
  });
});
