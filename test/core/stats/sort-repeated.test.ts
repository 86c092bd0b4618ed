import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-main/core/data/rng';
import { sortFinite } from '../../../src-main/core/stats/sort';
import { sortFiniteRepeated } from '../../../src-main/core/stats/sort-repeated';

/** The values' bit patterns, so −0 and 0 (equal to toEqual's eye) are told apart. */
const bitsOf = (a: Float64Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

describe('sortFiniteRepeated', () => {
  it('sorts a small column with repeats, both zeros and non-finite values to the known answer', () => {
    const column = [3, -0, 1.5, NaN, 0, 3, -2, Infinity, 1.5, -0, -Infinity, 3, 0, 1.5, -2, 3];
    const got = sortFiniteRepeated([...column, ...column])!;
    const once = [-2, -2, -0, -0, 0, 0, 1.5, 1.5, 1.5, 3, 3, 3, 3];
    expect(Array.from(got)).toEqual(once.flatMap((v) => [v, v]));
    // −0 before 0, as sortFinite orders them.
    expect(Array.from(got.subarray(4, 12), (v) => Object.is(v, -0))).toEqual([true, true, true, true, false, false, false, false]);
  });

  it('equals sortFinite bit for bit on large columns of rounded readings (radix-sorted keys too)', () => {
    const rng = createRng(11);
    for (const decimals of [0, 2]) {
      const scale = 10 ** decimals;
      const values = new Float64Array(200_000);
      for (let i = 0; i < values.length; i++) {
        const u = rng.next();
        values[i] = u < 0.01 ? NaN : u < 0.02 ? -0 : Math.round((rng.normal() * 80 + 20) * scale) / scale;
      }
      const got = sortFiniteRepeated(values);
      expect(got).not.toBeNull();
      expect(bitsOf(got!)).toEqual(bitsOf(sortFinite(values)));
    }
  });

  it('gives up (null) on more distinct values than a quarter of the count or the limit', () => {
    const rng = createRng(5);
    const continuous = Float64Array.from({ length: 10_000 }, () => rng.normal());
    expect(sortFiniteRepeated(continuous)).toBeNull();
    expect(sortFiniteRepeated([1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8], 4)).toBeNull();
    expect(Array.from(sortFiniteRepeated([2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1], 4)!)).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
    ]);
  });

  it('sorts an empty or all-missing column to an empty one', () => {
    expect(sortFiniteRepeated([])!.length).toBe(0);
    expect(sortFiniteRepeated([NaN, NaN, NaN, NaN])!.length).toBe(0);
  });
});
