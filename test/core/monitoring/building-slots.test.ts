import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PredictionLog } from '../../../src-main/core/monitoring/prediction-log';
import { makeBatch, rowsOf } from './helpers/batch';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gl-predlog-bld-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('building slots in the prediction log', () => {
  it('a batch’s building slots read back per reading; a batch without them reads as 0 (unknown), as old logs do', async () => {
    const log = await PredictionLog.open(dir);
    const withSlots = makeBatch(3);
    const n = rowsOf(3);
    withSlots.buildingSlots = Uint16Array.from({ length: n }, (_, i) => (i % 3) + 1);
    withSlots.buildingSlots[0] = 65_535;
    await log.append(withSlots);
    await log.append(makeBatch(1));
    await log.close();
    const cols = await (await PredictionLog.open(dir)).readLast(1_000_000);
    expect([...cols.building.subarray(0, n)]).toEqual([...withSlots.buildingSlots]);
    expect([...cols.building.subarray(n)]).toEqual(new Array(rowsOf(1)).fill(0));
  });

  it('refuses slots that do not match the readings, naming the field', async () => {
    const log = await PredictionLog.open(dir);
    const bad = makeBatch(2);
    bad.buildingSlots = new Uint16Array(rowsOf(2) + 1);
    await expect(log.append(bad)).rejects.toThrow(`Expected ${rowsOf(2)} building slots, got ${rowsOf(2) + 1}.`);
    expect(log.count()).toBe(0);
    await log.close();
  });
});
