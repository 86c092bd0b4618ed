import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-main/core/data/rng';
import { roundFixed } from '../../../src-main/core/stats/fixed';

const same = (x: number, d: number): void => {
  const want = Number(x.toFixed(d));
  const got = roundFixed(x, d);
  if (!Object.is(got, want)) expect({ x, d, got }).toEqual({ x, d, got: want });
};

describe('roundFixed', () => {
  it('is Number(x.toFixed(d)) on the edges: halves, signs, zeros, tiny, huge and non-finite values', () => {
    const edges = [0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.00005, -0.00005, 0.00015, 0.12345, 0.12355, -0.12345, 1 / 32, 1e-300, -1e-300];
    edges.push(0.1 + 0.2, 1.005, 1.0005, 123.45675, 4503599627370.495, 4.5e15, 2 ** 53 + 2, 1e21, -1e22, NaN, Infinity, -Infinity);
    for (const x of edges) for (let d = 0; d <= 6; d++) same(x, d);
  });

  it('is Number(x.toFixed(d)) on a million random values of many scales, and on exact decimal halves', () => {
    const rng = createRng(8);
    for (let i = 0; i < 1_000_000; i++) {
      const scale = 10 ** Math.floor(rng.next() * 16 - 8);
      const x = (rng.next() - 0.3) * scale;
      same(x, i % 7);
    }
    // k + 0.5 units of the last place, written in decimal: the double nearest it may sit on either side of the half.
    for (let k = 0; k < 200_000; k++) {
      const d = 1 + (k % 6);
      same(Number(`${Math.floor(k / 6)}.${String(k).padStart(d, '0').slice(-d)}5`), d);
      same(-Number(`0.${String(k).padStart(d, '0').slice(-d)}5`), d);
    }
  });

  it('refuses digits it does not handle', () => {
    expect(() => roundFixed(1, 7)).toThrow('roundFixed: digits must be 0–6, got 7');
  });
});
