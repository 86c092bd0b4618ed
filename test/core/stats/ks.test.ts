import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ks2samp, ks2sampSorted, ksStatisticSorted, KS_MAX_EXACT_N } from '../../../src-main/core/stats/ks';
import { createRng } from '../../../src-main/core/data/rng';
import { formula, ksAsymp, ksExact } from './fixtures';

// scipy's exact path is plain double arithmetic on the same recursions; the
// ported code reproduces it to rounding (~1e-12). 1e-9 leaves room for
// summation-order differences without hiding a real porting error.
const EXACT_REL = 1e-9;
// The asymptotic path follows scipy's kstwo, except that the one-sided Smirnov
// sum runs in float64 rather than double-double: ~1e-10 relative at worst.
const ASYMP_REL = 1e-7;

describe('ks2samp against scipy.stats.ks_2samp(method="auto")', () => {
  for (const c of ksExact()) {
    it(`${c.name}`, () => {
      const r = ks2samp(c.a!, c.b!);
      expect(r.method).toBe(c.method);
      expect(r.statistic).toBe(c.statistic);
      expect(r.pValue).toBeCloseToRel(c.pValue, { rel: EXACT_REL });
    });
  }
  for (const c of ksAsymp()) {
    it(`${c.name}`, () => {
      const a = c.gen ? formula(c.gen.a) : Float64Array.from(c.a!);
      const b = c.gen ? formula(c.gen.b) : Float64Array.from(c.b!);
      const r = ks2samp(a, b);
      expect(r.method).toBe('asymp');
      expect(r.statistic).toBe(c.statistic);
      expect(r.pValue).toBeCloseToRel(c.pValue, { rel: ASYMP_REL });
    });
  }
});

describe('ks2samp behaviour', () => {
  it('switches to asymp just above 10,000 per side', () => {
    const rng = createRng(3);
    const a = Float64Array.from({ length: KS_MAX_EXACT_N }, () => rng.normal());
    const b = Float64Array.from({ length: 50 }, () => rng.normal());
    expect(ks2samp(a, b).method).toBe('exact');
    const a2 = Float64Array.from({ length: KS_MAX_EXACT_N + 1 }, () => rng.normal());
    expect(ks2samp(a2, b).method).toBe('asymp');
  });

  it('ignores NaN and infinite readings', () => {
    const r1 = ks2samp([1, 2, 3, NaN, 4], [2, 3, Infinity, 5]);
    const r2 = ks2samp([1, 2, 3, 4], [2, 3, 5]);
    expect(r1).toEqual(r2);
  });

  it('rejects empty samples', () => {
    expect(() => ks2samp([], [1])).toThrow(/at least one value/);
  });

  it('D counts ties only after both sides pass the tied value', () => {
    // Right-continuous ECDFs: at x = 1 both are 1/2, so D is 1/2 at x = 0 only.
    expect(ksStatisticSorted([0, 1], [1, 1])).toBe(0.5);
    expect(ksStatisticSorted([1, 1], [1, 1])).toBe(0);
  });

  const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 60 });
  it('D in [0,1], symmetric in its arguments, p in [0,1]', () => {
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const a = ks2samp(x, y);
        const b = ks2samp(y, x);
        expect(a.statistic).toBeGreaterThanOrEqual(0);
        expect(a.statistic).toBeLessThanOrEqual(1);
        expect(a.statistic).toBe(b.statistic);
        expect(a.pValue).toBeGreaterThanOrEqual(0);
        expect(a.pValue).toBeLessThanOrEqual(1);
        expect(a.pValue).toBeCloseToRel(b.pValue, { rel: 1e-12, abs: 1e-15 });
      }),
      { numRuns: 300 },
    );
  });

  it('is identical to ks2sampSorted on pre-sorted data', () => {
    const a = Float64Array.from([0.3, -1, 2, 0.5]);
    const b = Float64Array.from([1, 1.5, -0.2]);
    expect(ks2samp(a, b)).toEqual(ks2sampSorted(a.slice().sort(), b.slice().sort()));
  });
});
