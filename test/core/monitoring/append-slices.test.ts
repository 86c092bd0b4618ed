import { describe, expect, it } from 'vitest';
import { PredictionLog } from '../../../src-main/core/monitoring/prediction-log';
import { tempDir } from '../../helpers/backend';
import { FEATURES, makeBatch, valueOf } from './helpers/batch';

/**
 * A large request is encoded and written in 1 MB slices, the next slice
 * encoded while the last one's write is in flight (two buffers taking turns).
 * 100,000 records of 36 bytes: four slices, so each buffer is written twice.
 */
describe('appending a request of several slices', () => {
  const n = 100_000;
  const big = (k: number) => makeBatch(k, { scores: Float64Array.from({ length: n }, (_, i) => 0.25 + ((k + i) % 8) / 16) });

  it('writes every record where it belongs, with progress moving up to the total', async () => {
    const log = await PredictionLog.open(tempDir('gl-append-slices-'));
    await log.append(makeBatch(1));
    const seen: number[] = [];
    expect(await log.append(big(2), (rows, total) => seen.push(rows / total))).toEqual({ appended: n });
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(seen.at(-1)).toBe(1);
    const c = await log.readLast(n);
    expect(c.length).toBe(n);
    for (const i of [0, 1, 29_126, 29_127, 58_254, 87_381, n - 1]) {
      expect(c.score[i]).toBe(0.25 + ((2 + i) % 8) / 16);
      expect(c.flag[i]).toBe((2 + i) % 3 === 0 ? 1 : 0);
      expect(FEATURES.map((f) => c.features[f]![i])).toEqual(FEATURES.map((_, j) => valueOf(2, i, j)));
    }
    await log.close();
  });

  it('a request cancelled between slices leaves nothing of it: the next request lands after the ones before', async () => {
    const dir = tempDir('gl-append-cancel-');
    const log = await PredictionLog.open(dir);
    await log.append(makeBatch(1));
    const cancel = new Error('cancelled');
    let reports = 0;
    await expect(
      log.append(big(2), () => {
        if (++reports === 2) throw cancel;
      }),
    ).rejects.toBe(cancel);
    await log.append(makeBatch(3));
    await log.close();
    const reopened = await PredictionLog.open(dir);
    const c = await reopened.readLast(1000);
    expect(c.length).toBe(makeBatch(1).scores.length + makeBatch(3).scores.length);
    expect(c.versions.length).toBe(1);
    expect(Array.from(c.time)).toEqual([...Array(makeBatch(1).scores.length).fill(1000), ...Array(makeBatch(3).scores.length).fill(3000)]);
    await reopened.close();
  });
});
