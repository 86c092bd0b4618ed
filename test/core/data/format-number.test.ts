import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeNumber } from '../../../src-main/core/data/csv-write';
import { formatNumber } from '../../../src-main/core/data/table';

/** The definition the fast path must reproduce. */
const reference = (v: number): string => (Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000));

describe('formatNumber', () => {
  it('prints known values like String() of the 4-decimal rounding', () => {
    expect(formatNumber(0.1)).toBe('0.1');
    expect(formatNumber(-0.05)).toBe('-0.05');
    expect(formatNumber(12.3400001)).toBe('12.34');
    expect(formatNumber(0.00005)).toBe('0.0001');
    expect(formatNumber(-0.00004)).toBe('0');
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(1 / 3)).toBe('0.3333');
    expect(formatNumber(99999999999.5)).toBe('99999999999.5');
    expect(formatNumber(123456789012.25)).toBe('123456789012.25');
  });

  it('matches the reference for any double (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => formatNumber(v) === reference(v)),
      { numRuns: 20_000 },
    );
  });

  it('matches the reference for sensor-like values with few decimals (property)', () => {
    const sensor = fc
      .tuple(fc.integer({ min: -5_000_000, max: 5_000_000 }), fc.constantFrom(1, 10, 100, 1000, 10000))
      .map(([n, p]) => n / p);
    fc.assert(
      fc.property(sensor, (v) => formatNumber(v) === reference(v)),
      { numRuns: 20_000 },
    );
  });
});

describe("writeNumber (the CSV writer's byte path)", () => {
  const written = (v: number): string => {
    const buf = Buffer.alloc(40);
    return buf.toString('latin1', 0, writeNumber(buf, 0, v));
  };

  it('writes the bytes of known values', () => {
    for (const [v, text] of [
      [0.05, '0.05'],
      [-0.05, '-0.05'],
      [-0, '0'],
      [-1234.5, '-1234.5'],
      [1e21, '1e+21'],
      [Infinity, 'Infinity'],
    ] as const)
      expect(written(v)).toBe(text);
  });

  it('writes exactly what formatNumber prints, for any double and for sensor-like values (property)', () => {
    const sensor = fc
      .tuple(fc.integer({ min: -5_000_000, max: 5_000_000 }), fc.constantFrom(1, 10, 100, 1000, 10000, 100000))
      .map(([n, p]) => n / p);
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true }), sensor), (v) => written(v) === formatNumber(v)),
      { numRuns: 40_000 },
    );
  });
});
