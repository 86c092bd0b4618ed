import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AbRun } from '../../../src-main/contract/shared/ab';
import { abPath, activeRun, readAbFile, writeAbFile } from '../../../src-main/core/loop/ab-store';
import { exportRegistry, importRegistry } from '../../../src-main/core/registry';
import { verifyRegistry } from '../../../src-main/core/registry/verify';
import { tempDir } from '../../helpers/backend';
import { buildFixtureRegistry } from '../../backend/registry-fixture';

const run = (over: Partial<AbRun>): AbRun => ({
  id: 'r1',
  model: 'energy-anomaly',
  alias: 'production',
  mode: 'ab',
  challenger: '1.0.1',
  champion: '1.0.0',
  share: 0.1,
  by: 'building',
  salt: 'energy-anomaly/production/1.0.1',
  startedAt: '2026-12-01T00:00:00.000Z',
  stoppedAt: null,
  reason: '',
  ...over,
});

describe('ab.json', () => {
  it('reads as no runs when missing, round-trips, and finds the active run of an alias', async () => {
    const dir = tempDir('gl-ab-store-');
    expect((await readAbFile(dir)).runs).toEqual([]);
    const runs = [run({ id: 'old', stoppedAt: '2026-12-01T01:00:00.000Z' }), run({ id: 'now', mode: 'shadow', share: 0 })];
    await writeAbFile(dir, { format: 'greenlens-ab', formatVersion: 1, runs });
    const back = await readAbFile(dir);
    expect(back.runs).toEqual(runs);
    expect(activeRun(back, 'energy-anomaly', 'production')?.id).toBe('now');
    expect(activeRun(back, 'energy-anomaly', 'staging')).toBeNull();
    writeFileSync(abPath(dir), '{"format":"greenlens-ab","formatVersion":1,"runs":[{"id":1}]}');
    await expect(readAbFile(dir)).rejects.toThrow(`${abPath(dir)}: runs.0.id: Invalid input: expected string, received number.`);
  });

  it('travels with an exported registry; verify flags two active runs on one alias', async () => {
    const root = tempDir('gl-ab-archive-');
    const dir = join(root, 'reg');
    await buildFixtureRegistry(dir, 1);
    await writeAbFile(dir, { format: 'greenlens-ab', formatVersion: 1, runs: [run({})] });
    const archive = join(root, 'reg.greenlens');
    await exportRegistry(dir, archive);
    const target = join(root, 'copy');
    await importRegistry(archive, target);
    expect(readFileSync(abPath(target), 'utf8')).toBe(readFileSync(abPath(dir), 'utf8'));
    expect((await verifyRegistry(target)).problems).toEqual([]);
    await writeAbFile(target, { format: 'greenlens-ab', formatVersion: 1, runs: [run({}), run({ id: 'r2' })] });
    const verify = await verifyRegistry(target);
    expect(verify.problems.map((p) => [p.file, p.message])).toEqual([
      [abPath(target), 'more than one active run for energy-anomaly production'],
    ]);
  });
});
