import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { loadAnyArtifact } from '../../src-main/core/model/any-artifact';
import type { OpInput } from '../../src-main/contract';
import { rejection, startTestWorker, tempDir } from '../helpers/backend';

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

function start(): { registry: string; host: WorkerHost } {
  const registry = join(tempDir('gl-ctx-'), 'registry');
  host = startTestWorker(registry);
  return { registry, host };
}

const YEAR: OpInput<'data.simulate'> = {
  profile: 'year',
  years: 1,
  buildings: 3,
  seed: 5,
  anomalyRate: 0.03,
  kinds: ['office', 'retail', 'hospital'],
};

describe('contextual detector through the worker', () => {
  it('on request (algorithm contextual): trains, records members and per-type recall, scores, explains with a likely cause', async () => {
    const { registry, host } = start();
    const ds = await host.call('data.simulate', YEAR);
    const r = await host.call('model.train', { datasetId: ds.id, algorithm: 'contextual' });
    expect(r.params).toMatchObject({
      algorithm: 'contextual',
      meters: ['hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'],
      temperatureColumn: 'outdoor_temp_c',
      timeColumn: 'timestamp',
      idColumn: 'building_id',
      stuckHours: 6,
      threshold: 0.5,
      weights: { residual: 1, sustained: 1, rules: 1, forest: 0.5 },
    });
    expect(r.metrics.evaluatedOn).toBe(1); // the last 20 % of the year
    expect(r.metrics.buildings).toBe(3);
    // Per building, for versions compare --by building: every building has as many fitting rows, so their rates average to the overall one.
    const rates = ['B01', 'B02', 'B03'].map((id) => r.metrics[`building_${id}_anomalyRate`]!);
    expect(rates.reduce((x, y) => x + y, 0) / 3).toBeCloseTo(r.metrics.anomalyRate!, 12);
    for (const id of ['B01', 'B02', 'B03']) {
      const f1 = r.metrics[`building_${id}_f1`]!;
      expect(f1 > 0 && f1 <= 1).toBe(true);
    }
    for (const m of ['residual', 'sustained', 'rules', 'forest']) expect(r.metrics[`member_${m}_rocAuc`]).toBeTypeOf('number');
    for (const t of ['hvac_fault', 'sensor_stuck', 'dropout', 'spike']) expect(r.metrics[`recall_${t}`]).toBeGreaterThan(0.5);
    expect(r.metrics.rocAuc).toBeGreaterThan(0.95);
    // The file is the contextual kind, plain JSON, and loads back.
    const file = join(registry, 'models', 'energy-anomaly', 'versions', '1.0.0', r.versionMeta.artifact.file);
    const artifact = loadAnyArtifact(readFileSync(file, 'utf8'));
    expect(artifact.kind).toBe('contextual');

    const s = await host.call('model.score', { datasetId: ds.id });
    expect(s.algorithm).toBe('contextual');
    expect(s.threshold).toBe(0.5);
    expect(s.evaluation!.rocAuc).toBeGreaterThan(0.95);
    expect(Object.keys(s.recallByType!).sort()).toEqual(
      ['after_hours', 'degradation', 'dropout', 'hvac_fault', 'sensor_stuck', 'spike'].filter((t) => t in s.recallByType!).sort(),
    );
    const top = s.top[0]!;
    const e = await host.call('model.explain', { datasetId: ds.id, row: top.row });
    expect(e.algorithm).toBe('contextual');
    expect(e.flagged).toBe(true);
    expect(e.score).toBeCloseTo(top.score, 12);
    expect(['residual', 'sustained', 'rules', 'forest']).toContain(e.member);
    expect(e.cause).toMatch(/\d\d:00 (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)/);
    expect(e.contributions[0]!.expected).toBeTypeOf('number');
  });

  it('keeps the Isolation Forest selectable, refuses contextual without a timestamp, and refuses a damaged file by name', async () => {
    const { registry, host } = start();
    const ds = await host.call('data.simulate', YEAR);
    const forest = await host.call('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', trees: 10 });
    expect(forest.params.algorithm).toBe('isolation-forest');
    expect((await host.call('model.score', { datasetId: ds.id, version: forest.version })).algorithm).toBeUndefined();
    const csv = join(tempDir(), 'no-time.csv');
    writeFileSync(csv, 'total_kw,hvac_kw\n1,2\n3,4\n5,6\n');
    const noTime = await host.call('data.import', { path: csv });
    const err = await rejection(host.call('model.train', { datasetId: noTime.id, algorithm: 'contextual' }));
    expect(err.message).toBe('The contextual detector needs a timestamp column, and dataset "no-time" has none.');
    // Without --algorithm: the forest without a timestamp (saying why), the contextual detector with one.
    const byDefault = await host.call('model.train', { datasetId: noTime.id, trees: 5, holdout: 0 });
    expect(byDefault.params.algorithm).toBe('isolation-forest');
    expect(byDefault.warnings[0]).toMatch(/^Dataset "no-time" has no timestamp column/);
    expect((await host.call('model.train', { datasetId: ds.id, holdout: 0 })).params.algorithm).toBe('contextual');

    const ctx = await host.call('model.train', { datasetId: ds.id, algorithm: 'contextual', holdout: 0 });
    const file = join(registry, 'models', 'energy-anomaly', 'versions', ctx.version, ctx.versionMeta.artifact.file);
    const damaged = readFileSync(file, 'utf8').replace('"stuckHours":6', '"stuckHours":"six"');
    expect(() => loadAnyArtifact(damaged)).toThrow('invalid model file: detector.settings.stuckHours must be a finite number, got "six"');
  });
});
