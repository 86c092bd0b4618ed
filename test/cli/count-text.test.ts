import { describe, expect, it } from 'vitest';
import { countText } from '../../src-main/cli/count-text';
import { createRng } from '../../src-main/core/data/rng';

describe('countText (en-US digit grouping without Intl)', () => {
  it('is toLocaleString("en-US") for counts, at every length and sign', () => {
    const values = [0, -0, 1, -1, 9, 10, 99, 100, 999, 1000, -1000, 1001, 9999, 10_000, 99_999, 100_000, 200_000, 999_999, 1_000_000];
    for (let p = 1; p < 16; p++) values.push(10 ** p - 1, 10 ** p, -(10 ** p) + 1, 10 ** p + 1);
    values.push(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
    const rng = createRng(5);
    for (let i = 0; i < 2000; i++) values.push(Math.floor((rng.next() - 0.3) * 10 ** Math.floor(rng.next() * 16)));
    for (const v of values) expect(countText(v), String(v)).toBe(v.toLocaleString('en-US'));
    expect(countText(1234567)).toBe('1,234,567');
    expect(countText(-0)).toBe('-0');
  });

  it('leaves what is not a safe integer to toLocaleString', () => {
    for (const v of [0.5, -1234.5678, 1e21, 2 ** 60, NaN, Infinity, -Infinity]) expect(countText(v)).toBe(v.toLocaleString('en-US'));
  });
});
