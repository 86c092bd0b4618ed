import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergePredictionLogs } from '../../src-main/backend/live/merge-log';
import { buildingSlots, readBuildingNames } from '../../src-main/backend/monitoring/buildings';
import { logPredictions, predictionLog } from '../../src-main/backend/prediction-sink';
import { EXPLANATIONS_FILE, logFlagExplanations } from '../../src-main/backend/report/explanation-log';
import { createState } from '../../src-main/backend/state';
import type { PredictionBatch } from '../../src-main/core/monitoring';
import { Registry } from '../../src-main/core/registry';
import { tempDir } from '../helpers/backend';

/** One request of `names.length` readings, reading i in building names[i] (null: no building). */
async function logRequest(registry: string, requestId: string, time: number, names: (string | null)[]): Promise<void> {
  const dictionary = [...new Set(names.filter((n): n is string => n !== null))];
  const codes = Int32Array.from(names, (n) => (n === null ? -1 : dictionary.indexOf(n)));
  const n = names.length;
  const batch: PredictionBatch = {
    model: 'energy',
    version: '1.0.0',
    features: ['kw'],
    requestId,
    time,
    latencyMs: 2,
    scores: Float64Array.from({ length: n }, (_, i) => 0.4 + i / 100),
    flags: Uint8Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)),
    values: [Float64Array.from({ length: n }, (_, i) => 10 + i)],
    rowTimes: Float64Array.from({ length: n }, (_, i) => time - 3_600_000 * (n - i)),
    buildingSlots: await buildingSlots(registry, { codes, dictionary }),
  };
  await logPredictions(createState({ registryPath: registry }), batch);
}

/** Logged readings as [kw, building name or ''], in log order. */
async function loggedBuildings(registry: string): Promise<[number, string][]> {
  const names = await readBuildingNames(registry);
  const log = await predictionLog(createState({ registryPath: registry }));
  const cols = await log.readRange(-Infinity, Infinity, { columns: ['kw'] });
  return Array.from(cols.building.subarray(0, cols.time.length), (slot, i) => [cols.features.kw![i]!, slot ? names[slot - 1]! : '']);
}

describe('registry merge-log', () => {
  it('keeps each reading’s building, by name, though the two registries number their buildings differently', async () => {
    const dir = tempDir('gl-merge-');
    const worker = join(dir, 'worker');
    const central = join(dir, 'central');
    await Promise.all([Registry.create(worker), Registry.create(central)]);
    await logRequest(central, 'c1', 1_000, ['C', 'B']);
    await logRequest(worker, 'w1', 2_000, ['A', 'B', null]);
    await logRequest(worker, 'w2', 3_000, ['D', 'A']);
    expect(await readBuildingNames(worker)).toEqual(['A', 'B', 'D']);

    const merged = await mergePredictionLogs(createState({ registryPath: central }), [worker]);
    expect(merged.map((m) => [m.requests, m.readings])).toEqual([[2, 5]]);
    expect(await readBuildingNames(central)).toEqual(['C', 'B', 'A', 'D']);
    expect(await loggedBuildings(central)).toEqual([
      [10, 'C'],
      [11, 'B'],
      [10, 'A'],
      [11, 'B'],
      [12, ''],
      [10, 'D'],
      [11, 'A'],
    ]);
  });

  it('brings the explanation lines of the merged requests, under their merged request ids, once', async () => {
    const dir = tempDir('gl-merge-expl-');
    const worker = join(dir, 'worker');
    const central = join(dir, 'central');
    await Promise.all([Registry.create(worker), Registry.create(central)]);
    await logRequest(worker, 'w1', 2_000, ['A', 'B']);
    const flags: [number, [string, number][]][] = [[2_000 - 7_200_000, [['kw', 1]]]];
    await logFlagExplanations(worker, { requestId: 'w1', model: 'energy', version: '1.0.0', time: 2_000, flags });
    const state = createState({ registryPath: central });
    await mergePredictionLogs(state, [worker]);
    await mergePredictionLogs(state, [worker]);

    const lines = readFileSync(join(central, EXPLANATIONS_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const log = await predictionLog(state);
    const cols = await log.readRange(-Infinity, Infinity, { columns: [] });
    const entry = JSON.parse(lines[0]!) as { requestId: string };
    expect(entry).toMatchObject({ model: 'energy', version: '1.0.0', time: 2_000, flags });
    expect(entry.requestId).toMatch(/^merged-[0-9a-f]{8}-[0-9a-f]+-2000$/);
    expect(cols.requests.length).toBe(1);
  });
});
