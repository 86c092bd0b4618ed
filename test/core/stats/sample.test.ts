import { describe, expect, it } from 'vitest';
import { sampleRows } from '../../../src-main/core/stats/sample';

describe('sampleRows', () => {
  it('draws k distinct rows in ascending order, the same for one seed', () => {
    const a = sampleRows(1_000, 100, 7);
    expect(a.length).toBe(100);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
    expect(a[0]!).toBeGreaterThanOrEqual(0);
    expect(a[99]!).toBeLessThan(1_000);
    expect([...sampleRows(1_000, 100, 7)]).toEqual([...a]);
    expect([...sampleRows(1_000, 100, 8)]).not.toEqual([...a]);
  });

  it('gives every accepted row, in order, when there are at most k', () => {
    expect([...sampleRows(5, 10, 1)]).toEqual([0, 1, 2, 3, 4]);
    expect([...sampleRows(10, 3, 1, (i) => i % 4 === 1)]).toEqual([1, 5, 9]);
    expect([...sampleRows(0, 3, 1)]).toEqual([]);
    expect([...sampleRows(4, 0, 1)]).toEqual([]);
  });

  it('draws only accepted rows', () => {
    const odd = sampleRows(10_000, 500, 3, (i) => i % 2 === 1);
    expect(odd.length).toBe(500);
    expect([...odd].every((i) => i % 2 === 1)).toBe(true);
  });

  it('is uniform: each row is drawn k/n of the time, and a periodic pattern is not aliased', () => {
    const n = 100;
    const k = 20;
    const seeds = 5_000;
    const hits = new Float64Array(n);
    for (let s = 0; s < seeds; s++) for (const i of sampleRows(n, k, s)) hits[i]!++;
    const expected = (seeds * k) / n;
    // Chi-square over 100 cells (99 degrees of freedom): 150 is far beyond its 99.9th percentile (~149).
    let chi2 = 0;
    for (const h of hits) chi2 += (h - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(150);
    // Half the rows of a period-2 pattern, as every 2nd would never give.
    const even = [...sampleRows(10_000, 5_000, 11)].filter((i) => i % 2 === 0).length;
    expect(Math.abs(even - 2_500)).toBeLessThan(150);
  });
});
