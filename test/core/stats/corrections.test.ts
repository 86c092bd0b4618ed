import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustPValues, benjaminiHochberg, bonferroni } from '../../../src-main/core/stats/corrections';
import { misc } from './fixtures';

describe('multiple-testing corrections (statsmodels multipletests)', () => {
  it('match numpy reference values', () => {
    for (const c of misc().corrections) {
      bonferroni(c.p).forEach((v, i) => expect(v).toBeCloseTo(c.bonferroni[i]!, 14));
      benjaminiHochberg(c.p).forEach((v, i) => expect(v).toBeCloseTo(c.bh[i]!, 14));
    }
  });
  it('keeps NaN out of the family', () => {
    expect(bonferroni([0.01, NaN, 0.02])).toEqual([0.02, NaN, 0.04]);
    expect(benjaminiHochberg([0.01, NaN, 0.04])).toEqual([0.02, NaN, 0.04]);
    expect(adjustPValues([0.3], 'none')).toEqual([0.3]);
  });
  it('BH: adjusted ≥ raw, ≤ 1, monotone in the raw p-value order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (p) => {
        const adj = benjaminiHochberg(p);
        const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
        for (let k = 0; k < p.length; k++) {
          expect(adj[k]!).toBeGreaterThanOrEqual(p[k]!);
          expect(adj[k]!).toBeLessThanOrEqual(1);
        }
        for (let k = 1; k < p.length; k++) expect(adj[order[k]!]!).toBeGreaterThanOrEqual(adj[order[k - 1]!]!);
        const bon = bonferroni(p);
        bon.forEach((b, i) => expect(b).toBeGreaterThanOrEqual(adj[i]!));
      }),
    );
  });
});
