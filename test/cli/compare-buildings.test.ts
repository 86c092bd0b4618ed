import { describe, expect, it } from 'vitest';
import { buildingRows, buildingText } from '../../src-main/cli/commands/compare-buildings';
import type { CompareResult } from '../../src-main/contract/ops/registry';

const compare: CompareResult = {
  model: 'energy-anomaly',
  a: '1.0.0',
  b: '1.0.1',
  params: [],
  metrics: [
    { name: 'f1', a: 0.7, b: 0.8, delta: 0.1, better: true },
    { name: 'building_B02_anomalyRate', a: 0.04, b: 0.03, delta: -0.01, better: null },
    { name: 'building_B01_anomalyRate', a: 0.05, b: 0.02, delta: -0.03, better: null },
    { name: 'building_B01_f1', a: 0.6, b: 0.9, delta: 0.3, better: true },
    { name: 'building_B01_fleet', a: 0, b: 0, delta: 0, better: null },
    { name: 'building_B02_fleet', a: null, b: 1, delta: null, better: null },
  ],
  trainingData: { rows: { a: 1, b: 1, delta: 0 }, columnsAdded: [], columnsRemoved: [], shaChanged: false, sourceChanged: false },
  evaluation: {
    a: { on: 'holdout', rows: 1, dataSha256: 'x', source: null },
    b: { on: 'holdout', rows: 1, dataSha256: 'x', source: null },
    same: true,
  },
} as CompareResult;

describe('versions compare --by building', () => {
  it('groups the per-building metrics into one row per building, sorted by id', () => {
    expect(buildingRows(compare)).toEqual([
      { id: 'B01', anomalyRate: { a: 0.05, b: 0.02 }, f1: { a: 0.6, b: 0.9 }, fleet: { a: 0, b: 0 } },
      { id: 'B02', anomalyRate: { a: 0.04, b: 0.03 }, f1: { a: null, b: null }, fleet: { a: null, b: 1 } },
    ]);
    const text = buildingText(compare, buildingRows(compare));
    expect(text).toContain('energy-anomaly: 1.0.0 (A) → 1.0.1 (B), per building');
    expect(text).toMatch(/B01\s+0\.05\s+0\.02\s+−0\.03\s+0\.6\s+0\.9\s+\+0\.3\s+own\n/);
    // B02's baseline was not recorded in A (trained before the marker existed); B scored it with the fleet's.
    expect(text.split('\n').at(-1)).toBe('B02         0.04    0.03  −0.01     —     —         ? → fleet');
  });

  it('says so when the versions have no per-building metrics', () => {
    const plain = { ...compare, metrics: compare.metrics.slice(0, 1) };
    expect(buildingText(plain, buildingRows(plain))).toBe(
      'energy-anomaly 1.0.0 and 1.0.1 record no per-building metrics (only contextual versions do).',
    );
  });
});
