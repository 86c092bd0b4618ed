import { describe, expect, it } from 'vitest';
import { isCloseRel } from './matchers';

describe('toBeCloseToRel', () => {
  it('passes within the relative or the absolute tolerance, whichever is larger', () => {
    expect(1.000001).toBeCloseToRel(1, { rel: 1e-5 });
    expect(1e-20).toBeCloseToRel(0, { abs: 1e-12 });
    expect(0).toBeCloseToRel(0);
    expect(NaN).toBeCloseToRel(NaN);
    expect(Infinity).toBeCloseToRel(Infinity, { rel: 1 });
    expect(1.1).not.toBeCloseToRel(1, { rel: 0.05 });
    expect(-Infinity).not.toBeCloseToRel(Infinity, { rel: 1 });
    expect(NaN).not.toBeCloseToRel(0, { abs: 1 });
  });

  it('names both numbers, the difference and the allowance when it fails', () => {
    let message = '';
    try {
      expect(0.25).toBeCloseToRel(0.2, { rel: 0.1 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'expected 0.25 to be close to 0.2: difference 0.04999999999999999 (relative 0.24999999999999994), allowed 0.020000000000000004 (rel 0.1, abs 0)',
    );
  });

  it('rejects a value that is not a number, saying what it got', () => {
    expect(() => expect('0.2').toBeCloseToRel(0.2, { rel: 1 })).toThrow('expected a number close to 0.2, got string "0.2"');
  });

  it('shares its rule with isCloseRel', () => {
    expect(isCloseRel(101, 100, { rel: 0.01 })).toBe(true);
    expect(isCloseRel(101.0001, 100, { rel: 0.01 })).toBe(false);
    expect(isCloseRel(0.5, 0, { abs: 0.5 })).toBe(true);
  });
});
