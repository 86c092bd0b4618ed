import { describe, expect, it } from 'vitest';
import { axisLabel, extent, niceStep, niceTicks, rangeTickFormat, unitOf, withUnit } from '../../src-renderer/src/components/axis-format';

describe('tick labels follow the axis range (issue 9.18)', () => {
  it('small PSI values get enough decimals to differ', () => {
    const [lo, hi] = extent([0.0021, 0.0043, 0.0009], true);
    const f = rangeTickFormat(lo, hi);
    const ticks = [0, 0.001, 0.002, 0.003, 0.004].map(f);
    expect(ticks).toEqual(['0.000', '0.001', '0.002', '0.003', '0.004']);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('large values get thousands separators and no decimals; mid ranges one or two', () => {
    expect(rangeTickFormat(0, 40_000)(12_500)).toBe('12,500');
    expect([0, 1, 2].map(rangeTickFormat(0, 4))).toEqual(['0', '1', '2']);
    expect([0, 0.1, 0.2].map(rangeTickFormat(0, 0.4))).toEqual(['0.0', '0.1', '0.2']);
    expect([0.02, 0.04].map(rangeTickFormat(0, 0.08))).toEqual(['0.02', '0.04']);
    expect(rangeTickFormat(-0.001, 0.001)(-0)).toBe('0.0000');
  });

  it('a nice step is 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(0, 0.0043)).toBeCloseTo(0.002, 12);
    expect(niceStep(0, 100)).toBe(50);
    expect(niceStep(0, 9)).toBe(5);
    expect(niceStep(3, 3)).toBe(1);
  });
});

describe('ticks and their labels agree', () => {
  it('every tick of a range gets a distinct label from the same range', () => {
    for (const [lo, hi] of [
      [0, 3.06],
      [0, 0.0043],
      [0, 0.11],
      [-2.5, 41],
      [0, 48_000],
    ] as const) {
      const ticks = niceTicks(lo, hi);
      expect(ticks[0]).toBeLessThanOrEqual(lo);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(hi);
      const f = rangeTickFormat(lo, hi);
      const labels = ticks.map(f);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
    expect(niceTicks(0, 3.06)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0, 0.11)).toEqual([0, 0.05, 0.1, 0.15]);
  });
});

describe('units from column names', () => {
  it('reads the conventional suffixes', () => {
    expect(unitOf('outdoor_temp_c')).toBe('°C');
    expect(unitOf('hvac_kw')).toBe('kW');
    expect(unitOf('total_kw')).toBe('kW');
    expect(unitOf('energy_kwh')).toBe('kWh');
    expect(unitOf('humidity_pct')).toBe('%');
    expect(unitOf('occupancy')).toBeNull();
    expect(unitOf('kwargs')).toBeNull();
  });

  it('labels an axis with the unit, else the column name, and values with their unit', () => {
    expect(axisLabel('outdoor_temp_c')).toBe('°C');
    expect(axisLabel('occupancy')).toBe('occupancy');
    expect(withUnit('+4.2', 'outdoor_temp_c')).toBe('+4.2 °C');
    expect(withUnit('12', 'humidity_pct')).toBe('12%');
    expect(withUnit('0.3', 'occupancy')).toBe('0.3');
  });
});
