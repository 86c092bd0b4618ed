import { describe, expect, it } from 'vitest';
import { defineLazy } from '../../src-main/backend/lazy-field';
import { CliBackend } from '../../src-main/cli/backend';
import { createIo } from '../../src-main/cli/io';
import { tempDir } from '../helpers/backend';

describe('defineLazy', () => {
  it('computes on first read only, keeps the field order, and is seen by structured clone and JSON', () => {
    let calls = 0;
    const obj = { a: 1, b: 0, c: 3 };
    defineLazy(obj, 'b', () => {
      calls++;
      return 2;
    });
    expect(calls).toBe(0);
    expect(Object.keys(obj)).toEqual(['a', 'b', 'c']);
    expect(structuredClone(obj)).toEqual({ a: 1, b: 2, c: 3 });
    expect(JSON.stringify(obj)).toBe('{"a":1,"b":2,"c":3}');
    expect(obj.b).toBe(2);
    expect(calls).toBe(1);
    expect(Object.getOwnPropertyDescriptor(obj, 'b')?.value).toBe(2);
  });
});

describe('model.score in process (the CLI)', () => {
  it('leaves the chart uncomputed until read, and computes the same chart the app receives', async () => {
    const backend = new CliBackend(createIo(true), tempDir());
    const ds = await backend.run('data.simulate', { buildings: 2, days: 7, seed: 3, anomalyRate: 0.02 });
    await backend.run('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 20 });
    const result = await backend.run('model.score', { datasetId: ds.id, log: false });
    expect(Object.getOwnPropertyDescriptor(result, 'chart')?.get).toBeTypeOf('function');
    const cloned = structuredClone(result);
    expect(cloned.chart.column).toBe('total_kw');
    expect(cloned.chart.markers.length).toBe(result.anomalies);
    expect(result.chart).toEqual(cloned.chart);
  });
});
