import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText, writeNumber } from '../../../src-main/core/data/csv-write';
import { formatNumber } from '../../../src-main/core/data/table';

/**
 * Property runs use a fixed seed: a random seed made these tests fail only on
 * the runs that happened to draw a value like 0.99995, which hid the bug.
 */
const SEED = 20_261_130;

describe('formatNumber', () => {
  it('prints the shortest text that reads back as the same number', () => {
    expect(formatNumber(0.1)).toBe('0.1');
    expect(formatNumber(-0.05)).toBe('-0.05');
    expect(formatNumber(12.3400001)).toBe('12.3400001');
    expect(formatNumber(0.00005)).toBe('0.00005');
    expect(formatNumber(-0.00004)).toBe('-0.00004');
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1 / 3)).toBe('0.3333333333333333');
    expect(formatNumber(99999999999.5)).toBe('99999999999.5');
    expect(formatNumber(123456789012.25)).toBe('123456789012.25');
  });

  it('never writes an integer-valued number as "1.0" (0.99995 and neighbours)', () => {
    for (const v of [0.99995, 0.999951, -0.99995, 1.99996, 9.99999, 0.49995]) {
      const text = formatNumber(v);
      expect(Number(text), text).toBe(v);
      expect(text).not.toMatch(/\.0$/);
    }
  });

  it('round-trips any double: Number(formatNumber(v)) === v, text === String(v) (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const text = formatNumber(v);
        return Number(text) === (Object.is(v, -0) ? 0 : v) && text === String(v);
      }),
      { numRuns: 20_000, seed: SEED },
    );
  });

  it('round-trips sensor-like values with few decimals (property, fixed seed)', () => {
    const sensor = fc
      .tuple(fc.integer({ min: -5_000_000, max: 5_000_000 }), fc.constantFrom(1, 10, 100, 1000, 10000, 100000))
      .map(([n, p]) => n / p);
    fc.assert(
      fc.property(sensor, (v) => formatNumber(v) === String(v)),
      { numRuns: 20_000, seed: SEED },
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

  it('writes every digit count, padded decimals and both sides of the 31-bit integer path exactly as formatNumber', () => {
    const values: number[] = [];
    for (let k = 0; k <= 15; k++) for (const v of [10 ** k - 1, 10 ** k, 10 ** k + 1]) values.push(v, -v);
    for (const d of [1, 2, 3, 4])
      for (const m of [1, 9, 10, 99, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 10 ** 10 - 1]) values.push(m / 10 ** d, -m / 10 ** d);
    values.push(2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 1e15 - 1, -(1e15 - 1), 0.0001, -0.0001, 0.0501, 214748.3647, 214748.3648);
    for (const v of values) expect(written(v), String(v)).toBe(formatNumber(v));
    expect(written(214748.3647)).toBe('214748.3647');
    expect(written(-0.0001)).toBe('-0.0001');
    expect(written(2 ** 31)).toBe('2147483648');
  });

  it('writes exactly what formatNumber prints, for any double and for sensor-like values (property)', () => {
    const sensor = fc
      .tuple(fc.integer({ min: -5_000_000, max: 5_000_000 }), fc.constantFrom(1, 10, 100, 1000, 10000, 100000))
      .map(([n, p]) => n / p);
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true }), sensor), (v) => written(v) === formatNumber(v)),
      { numRuns: 40_000, seed: SEED },
    );
  });
});

describe('CSV number cells', () => {
  it('write 0.99995 as 0.99995, not 1.0', () => {
    const text = csvText({ rowCount: 2, columns: [{ name: 'score', kind: 'number', values: Float64Array.from([0.99995, 0.59999]) }] });
    expect(text).toBe('score\n0.99995\n0.59999\n');
  });
});
