import { describe, expect, it } from 'vitest';
import { armOf, routeReadings } from '../../../src-main/core/loop/ab';
import { requestIdHash } from '../../../src-main/core/monitoring';

/** 4.5 standard deviations of a binomial count: a correct router fails this about once in 150,000 runs. */
function binomialBounds(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [n * p - 4.5 * sd, n * p + 4.5 * sd];
}

describe('A/B routing', () => {
  it('sends a 10 % share of 10,000 keys to the challenger, within binomial bounds', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `building-${i}`);
    const arms = routeReadings(keys.length, { share: 0.1, salt: 'energy-anomaly/production/1.0.1' }, { keyOf: (i) => keys[i]! });
    const challenger = arms.reduce((a, b) => a + b, 0);
    const [lo, hi] = binomialBounds(10_000, 0.1);
    expect(challenger).toBeGreaterThan(lo);
    expect(challenger).toBeLessThan(hi);
  });

  it('keeps the share for short ids that differ only in their last characters (FNV-1a alone sent 19 of 20 to one arm)', () => {
    const salt = 'energy-anomaly/production/1.0.1';
    for (const share of [0.1, 0.3, 0.5]) {
      const keys = Array.from({ length: 2000 }, (_, i) => `B${String(i).padStart(4, '0')}`);
      const n = keys.filter((k) => armOf(k, share, salt) === 'challenger').length;
      const [lo, hi] = binomialBounds(2000, share);
      expect(n, `share ${share}`).toBeGreaterThan(lo);
      expect(n, `share ${share}`).toBeLessThan(hi);
    }
    // The simulator's ids B01…B20: the unfinished FNV-1a hash routed 19 of them to the challenger at a 30 % share.
    const ids = Array.from({ length: 20 }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
    expect(ids.filter((k) => requestIdHash(`${salt}\u0000${k}`) / 2 ** 32 < 0.3)).toHaveLength(19);
    const [lo, hi] = binomialBounds(20, 0.3);
    const n = ids.filter((k) => armOf(k, 0.3, salt) === 'challenger').length;
    expect(n).toBeGreaterThan(lo);
    expect(n).toBeLessThan(hi);
  });

  it('routes the same key to the same arm in every run, by building with one hash per building', () => {
    // Known answers: a change to the hash would move buildings between arms of a running A/B.
    const salt = 'energy-anomaly/production/1.0.1';
    const known = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08'].map((k) => armOf(k, 0.3, salt));
    expect(known).toMatchInlineSnapshot(`
      [
        "champion",
        "champion",
        "champion",
        "challenger",
        "champion",
        "challenger",
        "challenger",
        "champion",
      ]
    `);
    const codes = Int32Array.from([0, 1, 2, -1, 1, 0]);
    const dictionary = ['B01', 'B02', 'B03'];
    const arms = routeReadings(6, { share: 0.3, salt }, { codes, dictionary });
    const expected = [0, 1, 2, -1, 1, 0].map((c) => (c < 0 ? 0 : armOf(dictionary[c]!, 0.3, salt) === 'challenger' ? 1 : 0));
    expect([...arms]).toEqual(expected);
    expect([...routeReadings(6, { share: 0.3, salt }, { codes, dictionary })]).toEqual([...arms]);
  });

  it('routes nothing with share 0 and everything with share 1', () => {
    const keyOf = (i: number): string => `r${i}`;
    expect(routeReadings(500, { share: 0, salt: '' }, { keyOf }).every((a) => a === 0)).toBe(true);
    expect(routeReadings(500, { share: 1, salt: '' }, { keyOf }).every((a) => a === 1)).toBe(true);
  });
});
