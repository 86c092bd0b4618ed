import { describe, expect, it } from 'vitest';
import {
  countByEdges,
  countByEdgesSorted,
  equalWidthEdges,
  histogramCounts,
  histogramCountsSorted,
  niceEdges,
  proportions,
  rebinCounts,
} from '../../../src-main/core/stats/histogram';

describe('fixed-edge histograms', () => {
  it('uses right-closed bins (-inf,e1], (e1,e2], (e2,+inf)', () => {
    const values = [0, 1, 1.5, 2, 2.5, 10, NaN];
    expect(Array.from(countByEdges(values, [1, 2]))).toEqual([2, 2, 2]);
    expect(Array.from(countByEdgesSorted([0, 1, 1.5, 2, 2.5, 10], [1, 2]))).toEqual([2, 2, 2]);
  });
  it('sorted and unsorted paths agree', () => {
    const xs = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 10);
    const edges = [-5, -1, 0, 0.5, 3, 9];
    const sorted = Float64Array.from(xs).sort();
    expect(countByEdgesSorted(sorted, edges)).toEqual(countByEdges(xs, edges));
  });
});

describe('equal-width histograms', () => {
  it('bins [e_i, e_{i+1}) with the last bin closed', () => {
    const edges = equalWidthEdges(0, 4, 4);
    expect(edges).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(histogramCounts([0, 0.5, 1, 3.99, 4], edges))).toEqual([2, 1, 0, 2]);
    expect(Array.from(histogramCountsSorted([0, 0.5, 1, 3.99, 4], edges))).toEqual([2, 1, 0, 2]);
  });
  it('centres a single bin on a constant', () => {
    expect(equalWidthEdges(5, 5, 30)).toEqual([2.5, 7.5]);
  });
  it('nice edges are round numbers covering the range within the bin budget', () => {
    const e = niceEdges(0.137, 9.81, 20);
    expect(e[0]).toBeLessThanOrEqual(0.137);
    expect(e[e.length - 1]).toBeGreaterThanOrEqual(9.81);
    expect(e.length - 1).toBeLessThanOrEqual(20);
    expect(e.slice(0, 3)).toEqual([0, 0.5, 1]);
  });
  it('rebinning preserves totals and splits by overlap', () => {
    const out = rebinCounts([0, 2, 4], [10, 20], [0, 1, 2, 3, 4]);
    expect(Array.from(out)).toEqual([5, 5, 10, 10]);
    const wider = rebinCounts([0, 2, 4], [10, 20], [1, 3]);
    expect(Array.from(wider)).toEqual([30]);
  });
  it('proportions', () => {
    expect(proportions([1, 3])).toEqual([0.25, 0.75]);
    expect(proportions([0, 0])).toEqual([0, 0]);
  });
});
