import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickselect } from '../../../src-main/core/stats/select';
import { createRng } from '../../../src-main/core/data/rng';

/** The partition quickselect promises: a[k] is sorting's element, nothing before it larger, nothing after it smaller. */
function expectSelected(a: Float64Array, k: number, left: number, right: number, sorted: Float64Array): void {
  // + 0 makes −0 and +0 one value: they are equal, and selection may return either.
  expect(a[k]! + 0).toBe(sorted[k - left]! + 0);
  for (let i = left; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k]!);
  for (let i = k + 1; i <= right; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k]!);
}

describe('quickselect (Floyd–Rivest)', () => {
  it('finds the k-th smallest of a small known array', () => {
    const a = Float64Array.from([5, 1, 4, 2, 3]);
    quickselect(a, 1, 0, 4);
    expect(a[1]).toBe(2);
    quickselect(a, 4, 0, 4);
    expect(a[4]).toBe(5);
  });
  it('partitions large ranges, sampled first, with repeated values (above 600 elements)', () => {
    const rng = createRng(3);
    const a = Float64Array.from({ length: 20_000 }, () => Math.round(rng.normal() * 50) / 10);
    const sorted = a.slice().sort();
    for (const k of [0, 1, 9_999, 10_000, 19_998, 19_999]) {
      const work = a.slice();
      quickselect(work, k, 0, work.length - 1);
      expectSelected(work, k, 0, work.length - 1, sorted);
    }
  });
  it('leaves the elements outside [left, right] untouched', () => {
    const a = Float64Array.from([9, 8, 3, 1, 2, 7, 6]);
    quickselect(a, 3, 2, 4);
    expect([a[0], a[1], a[5], a[6]]).toEqual([9, 8, 7, 6]);
    expect(a[3]).toBe(2);
  });
  it('agrees with sorting for any doubles and any k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 2_000 }),
        fc.nat(),
        (xs, seed) => {
          const a = Float64Array.from(xs);
          const k = seed % a.length;
          const sorted = a.slice().sort();
          quickselect(a, k, 0, a.length - 1);
          expect(a[k]! + 0).toBe(sorted[k]! + 0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
