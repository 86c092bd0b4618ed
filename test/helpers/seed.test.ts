import { afterEach, describe, expect, it } from 'vitest';
import { SEED_ENV, seededRandom } from './seed';

const saved = process.env[SEED_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[SEED_ENV];
  else process.env[SEED_ENV] = saved;
});

describe('seededRandom', () => {
  it('replays the same choices from GREENLENS_TEST_SEED', () => {
    process.env[SEED_ENV] = '12345';
    const a = seededRandom('x.test.ts');
    const first = [a.next(), a.next(), a.next()];
    const b = seededRandom('x.test.ts');
    expect(b.seed).toBe(12345);
    expect([b.next(), b.next(), b.next()]).toEqual(first);
    for (const v of first) expect(v >= 0 && v < 1, String(v)).toBe(true);
  });

  it('takes a fresh seed without the variable, and refuses one that is not a whole number', () => {
    delete process.env[SEED_ENV];
    const seeds = new Set(Array.from({ length: 5 }, () => seededRandom('x.test.ts').seed));
    expect(seeds.size).toBeGreaterThan(1);
    process.env[SEED_ENV] = 'abc';
    expect(() => seededRandom('x.test.ts')).toThrow('GREENLENS_TEST_SEED must be a whole number, got "abc"');
  });
});
