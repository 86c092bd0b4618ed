import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countByEdgesSorted } from '../../../src-main/core/stats/histogram';
import { psi, psiEdges, psiFromCounts, psiFromProportions, psiProportions } from '../../../src-main/core/stats/psi';
import { psiCases } from './fixtures';

describe('PSI against the numpy implementation of ARCHITECTURE §6', () => {
  for (const c of psiCases()) {
    it(c.name, () => {
      const ref = Float64Array.from(c.ref).sort();
      const cur = Float64Array.from(c.cur).sort();
      const edges = psiEdges(ref, c.bins);
      expect(edges).toEqual(c.edges);
      expect(Array.from(countByEdgesSorted(ref, edges))).toEqual(c.refCounts);
      expect(Array.from(countByEdgesSorted(cur, edges))).toEqual(c.curCounts);
      expect(psi(c.ref, c.cur, c.bins)).toBeCloseToRel(c.psi, { rel: 1e-12 });
    });
  }

  it('merges duplicate edges (a feature that is 60% zeros)', () => {
    const c = psiCases().find((x) => x.name.startsWith('duplicate edges: 60%'))!;
    expect(c.edges.length).toBeLessThan(9);
    expect(psiEdges(Float64Array.from(c.ref).sort(), 10).filter((e) => e === 0)).toHaveLength(1);
  });

  it('replaces zero proportions by 1e-4', () => {
    // ref all in bin 0, cur all in bin 1: (1e-4 − 1)·ln(1e-4) + (1 − 1e-4)·ln(1/1e-4)
    const expected = 2 * (1 - 1e-4) * Math.log(1e4);
    expect(psiFromProportions([1, 0], [0, 1])).toBeCloseTo(expected, 12);
  });

  it('stored edges + proportions reproduce the raw PSI', () => {
    const c = psiCases()[0]!;
    const ref = Float64Array.from(c.ref).sort();
    const edges = psiEdges(ref, 10);
    const refProps = psiProportions(ref, edges, true)!;
    expect(psiFromProportions(refProps, psiProportions(c.cur, edges)!)).toBe(psi(c.ref, c.cur));
  });

  it('NaN when a side is empty; counts must share bins', () => {
    expect(psi([], [1, 2])).toBeNaN();
    expect(psiFromCounts([0, 0], [1, 1])).toBeNaN();
    expect(() => psiFromProportions([1], [0.5, 0.5])).toThrow(/same bins/);
  });

  const sample = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 200 });
  it('PSI ≥ 0, and 0 for identical samples', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(psi(a, b)).toBeGreaterThanOrEqual(0);
        expect(psi(a, a)).toBe(0);
      }),
    );
  });
});
