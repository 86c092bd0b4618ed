import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { GreenLensError } from '../../src-main/contract';
import { DEFAULT_START, simulate } from '../../src-main/core/data/simulator';
import { getColumn } from '../../src-main/core/data/table';
import { loadModel, predict, scoreSamples } from '../../src-main/core/model';
import { PredictionLog } from '../../src-main/core/monitoring';
import { Registry } from '../../src-main/core/registry';
import { startTestWorker, tempDir } from '../helpers/backend';

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

async function rejection(p: Promise<unknown>): Promise<GreenLensError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(GreenLensError);
    return error as GreenLensError;
  }
  throw new Error('expected the call to fail');
}

const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];
const SIM = { buildings: 2, days: 14, seed: 7, anomalyRate: 0.02 };

function start(): { registry: string; host: WorkerHost } {
  const registry = join(tempDir('gl-model-'), 'registry');
  host = startTestWorker(registry);
  return { registry, host };
}

describe('model.train through the worker', () => {
  it('registers 1.0.0 with params, metrics, training data and a reference profile; then 1.0.1', async () => {
    const { registry, host } = start();
    const ds = await host.call('data.simulate', { ...SIM });
    const phases = new Set<string>();
    let trees = 0;
    const first = await host.call('model.train', { datasetId: ds.id, trees: 50 }, {
      onProgress: (phase, done) => {
        phases.add(phase);
        if (phase === 'training') trees = Math.max(trees, done);
      },
    });
    expect(first.model).toBe('energy-anomaly');
    expect(first.version).toBe('1.0.0');
    expect(trees).toBe(50);
    expect([...phases]).toContain('training');
    expect(first.params).toMatchObject({ algorithm: 'isolation-forest', features: FEATURES, label: 'is_anomaly', trees: 50, sampleSize: 256, contamination: 'auto', seed: 42, holdout: 0.2, threshold: 0.5 });
    const m = first.metrics;
    expect(m.trainingMs).toBeGreaterThan(0);
    expect(m.scoreP50!).toBeLessThan(m.scoreP95!);
    expect(m.scoreP95!).toBeLessThanOrEqual(m.scoreP99!);
    expect(m.anomalyRate).toBeGreaterThanOrEqual(0);
    expect(m.evaluatedOn).toBe(1);
    // 20 % of the 672 labelled rows are held out for precision/recall.
    expect(m.holdoutRows).toBe(Math.floor(672 * 0.2));
    expect(first.versionMeta.trainingData).toMatchObject({ rows: 672 - Math.floor(672 * 0.2), columns: FEATURES, source: ds.name });
    expect(first.versionMeta.trainingData.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const k of ['precision', 'recall', 'f1', 'rocAuc']) expect(m[k]).toBeTypeOf('number');
    expect(m.rocAuc!).toBeGreaterThan(0.5);

    const reg = await Registry.open(registry);
    const reference = JSON.parse((await reg.loadReference('energy-anomaly', '1.0.0')).toString()) as { features: { name: string }[]; rows: number };
    expect(reference.features.map((f) => f.name)).toEqual(FEATURES);
    expect(reference.rows).toBe(first.versionMeta.trainingData.rows);
    const model = loadModel((await reg.loadArtifact('energy-anomaly', '1.0.0')).toString());
    expect(model.params.nTrees).toBe(50);

    const second = await host.call('model.train', { datasetId: ds.id, trees: 20, holdout: 0, contamination: 0.02, alias: 'production' });
    expect(second.version).toBe('1.0.1');
    expect(second.metrics.evaluatedOn).toBe(0);
    expect(second.versionMeta.aliases).toEqual(['production']);
    expect(second.versionMeta.trainingData.rows).toBe(672);
    expect(second.metrics.anomalyRate!).toBeCloseTo(0.02, 2);
    expect((await reg.listVersions('energy-anomaly')).map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
  });

  it('a cancelled training rejects with "cancelled" and registers nothing', async () => {
    const { registry, host } = start();
    const ds = await host.call('data.simulate', { buildings: 4, days: 60 });
    let cancelledAt = 0;
    const job = host.call('model.train', { datasetId: ds.id, trees: 5000 }, {
      requestId: 'train-to-cancel',
      onProgress: () => {
        if (!cancelledAt) {
          cancelledAt = Date.now();
          host.cancel('train-to-cancel');
        }
      },
    });
    const error = await rejection(job);
    expect(error.code).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    const reg = await Registry.openOrCreate(registry);
    expect((await reg.listModels()).flatMap((m) => (m.versionCount ? [m.name] : []))).toEqual([]);
    // The worker is fine afterwards and the next version is still 1.0.0.
    expect((await host.call('model.train', { datasetId: ds.id, trees: 5 })).version).toBe('1.0.0');
  });

  it('refuses data without features, unknown feature names and a label used as a feature', async () => {
    const { host } = start();
    const ds = await host.call('data.simulate', { buildings: 1, days: 1 });
    const unknown = await rejection(host.call('model.train', { datasetId: ds.id, features: ['total_kw', 'nope'] }));
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.message).toContain('"nope"');
    expect(unknown.info.field).toBe('features');
    const both = await rejection(host.call('model.train', { datasetId: ds.id, features: ['total_kw', 'is_anomaly'], label: 'is_anomaly' }));
    expect(both.message).toMatch(/both a feature and the label/);
    const badHoldout = await rejection(host.call('model.train', { datasetId: ds.id, holdout: 0.9 }));
    expect(badHoldout.info.field).toBe('holdout');
  });
});

describe('model.score and model.explain through the worker', () => {
  it('flags what predict flags, logs every reading, and log:false logs nothing', async () => {
    const { registry, host } = start();
    const ds = await host.call('data.simulate', { ...SIM });
    await host.call('model.train', { datasetId: ds.id, trees: 60, contamination: 0.03 });
    const result = await host.call('model.score', { datasetId: ds.id });
    expect(result).toMatchObject({ model: 'energy-anomaly', version: '1.0.0', rows: 672, logged: 672, datasetId: ds.id });
    expect(result.latencyMs).toBeGreaterThan(0);

    // The same data and the stored model, outside the worker: the same flags.
    const table = simulate({ ...SIM, drift: 'none', start: DEFAULT_START });
    const reg = await Registry.open(registry);
    const model = loadModel((await reg.loadArtifact('energy-anomaly', '1.0.0')).toString());
    const columns = model.features.map((f) => (getColumn(table, f) as { values: Float64Array }).values);
    const flags = predict(model, scoreSamples(model, columns));
    expect(result.anomalies).toBe(flags.reduce((a, b) => a + b, 0));
    expect(result.anomalies).toBeGreaterThan(0);
    expect(result.threshold).toBe(model.threshold);
    expect(result.chart.column).toBe('total_kw');
    expect(result.chart.series).toHaveLength(2);
    expect(result.chart.markers.length).toBe(result.anomalies);
    expect(result.top.length).toBe(Math.min(200, result.anomalies));
    expect(result.top[0]!.score).toBeGreaterThanOrEqual(result.top.at(-1)!.score);
    expect(result.top[0]!.id).toMatch(/^B0[12]$/);
    expect(result.evaluation).not.toBeNull();

    const log = await PredictionLog.open(join(registry, 'predictions'));
    expect(log.count()).toBe(672);
    const last = await log.readLast(672);
    expect(last.time[0]).toBe(DEFAULT_START); // the reading's own time, from the timestamp column
    await log.close();

    const quiet = await host.call('model.score', { datasetId: ds.id, log: false });
    expect(quiet.logged).toBe(0);
    expect(quiet.anomalies).toBe(result.anomalies);
    const again = await PredictionLog.open(join(registry, 'predictions'));
    expect(again.count()).toBe(672);
    await again.close();
  });

  it('resolves production before latest, refuses version+alias, and names missing features', async () => {
    const { host } = start();
    const ds = await host.call('data.simulate', { buildings: 1, days: 7 });
    await host.call('model.train', { datasetId: ds.id, trees: 10, alias: 'production' });
    await host.call('model.train', { datasetId: ds.id, trees: 10 });
    expect((await host.call('model.score', { datasetId: ds.id, log: false })).version).toBe('1.0.0');
    expect((await host.call('model.score', { datasetId: ds.id, log: false, version: '1.0.1' })).version).toBe('1.0.1');
    const both = await rejection(host.call('model.score', { datasetId: ds.id, version: '1.0.0', alias: 'production' }));
    expect(both.code).toBe('invalid_input');
    expect(both.info.field).toBe('alias');
    const noAlias = await rejection(host.call('model.score', { datasetId: ds.id, alias: 'staging' }));
    expect(noAlias.code).toBe('not_found');

    const csv = join(tempDir(), 'partial.csv');
    writeFileSync(csv, 'total_kw,hvac_kw\n1,2\n3,4\n');
    const partial = await host.call('data.import', { path: csv });
    const missing = await rejection(host.call('model.score', { datasetId: partial.id }));
    expect(missing.code).toBe('invalid_input');
    expect(missing.message).toContain('"outdoor_temp_c"');
  });

  it('explains a planted outlier by the feature that was planted', async () => {
    const { host } = start();
    const dir = tempDir();
    const csv = join(dir, 'planted.csv');
    // Three smooth features; row 150 has an absurd `c`.
    const lines = ['time,a,b,c'];
    for (let i = 0; i < 300; i++) {
      const c = i === 150 ? 500 : 20 + Math.cos(i / 7) * 3;
      lines.push(`2025-03-01T${String(i % 24).padStart(2, '0')}:00:00Z,${(Math.sin(i / 5) * 10).toFixed(3)},${(50 + Math.sin(i / 11) * 5).toFixed(3)},${c.toFixed(3)}`);
    }
    writeFileSync(csv, lines.join('\n') + '\n');
    const ds = await host.call('data.import', { path: csv });
    await host.call('model.train', { datasetId: ds.id, trees: 100 });
    const scored = await host.call('model.score', { datasetId: ds.id, log: false });
    expect(scored.top[0]!.row).toBe(150);
    const why = await host.call('model.explain', { datasetId: ds.id, row: 150, topK: 3 });
    expect(why.flagged).toBe(true);
    expect(why.contributions[0]).toMatchObject({ feature: 'c', value: 500, direction: 'high' });
    expect(why.contributions[0]!.share).toBeGreaterThan(0.5);
    expect(why.contributions[0]!.reference.p95!).toBeLessThan(30);
    expect(why.contributions.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 6);
    const out = await rejection(host.call('model.explain', { datasetId: ds.id, row: 300 }));
    expect(out.info.field).toBe('row');
  });
});

describe('CSV import through the worker', () => {
  it('round-trips the simulator CSV: preview, import, same rows, roles and values', async () => {
    const { host } = start();
    const sim = await host.call('data.simulate', { ...SIM });
    const file = join(tempDir(), 'sim.csv');
    await host.call('data.exportCsv', { datasetId: sim.id, path: file });

    const preview = await host.call('data.preview', { path: file, rows: 5 });
    expect(preview.header).toEqual(sim.preview.header);
    expect(preview.delimiter).toBe(',');
    expect(preview.rows).toHaveLength(5);
    const roles = Object.fromEntries(preview.columns.map((c) => [c.name, c.role]));
    expect(roles).toMatchObject({ timestamp: 'timestamp', building_id: 'id', is_anomaly: 'label', total_kw: 'feature' });

    const phases: number[] = [];
    const imported = await host.call('data.import', { path: file }, { onProgress: (_p, done) => phases.push(done) });
    expect(phases.at(-1)).toBe(readFileSync(file).length);
    expect(imported.source).toBe('imported');
    expect(imported.name).toBe('sim');
    expect(imported.rows).toBe(sim.rows);
    expect(imported.labelledAnomalies).toBe(sim.labelledAnomalies);
    expect(imported.columns).toEqual(sim.columns);
    expect(imported.import).toMatchObject({ rows: sim.rows, droppedRows: 0, missingPolicy: 'drop', delimiter: ',' });
    for (const s of sim.summary) {
      const t = imported.summary.find((x) => x.name === s.name)!;
      if (s.mean !== null) expect(t.mean!).toBeCloseTo(s.mean, 3);
    }
    expect(imported.preview.rows[0]).toEqual(sim.preview.rows[0]);

    // A role override from the import dialog: occupancy is not a feature.
    const custom = await host.call('data.import', { path: file, roles: { occupancy: 'ignored' }, name: 'custom' });
    expect(custom.columns.find((c) => c.name === 'occupancy')?.role).toBe('ignored');
    const trained = await host.call('model.train', { datasetId: custom.id, trees: 5 });
    expect(trained.params.features).not.toContain('occupancy');
  });

  it('names the file and line of a broken CSV', async () => {
    const { host } = start();
    const file = join(tempDir(), 'broken.csv');
    writeFileSync(file, 'a,b\n1,2\n3\n');
    const error = await rejection(host.call('data.import', { path: file }));
    expect(error.code).toBe('invalid_input');
    expect(error.info.file).toBe(file);
    expect(error.info.line).toBe(3);
    const missing = await rejection(host.call('data.preview', { path: join(tempDir(), 'none.csv') }));
    expect(missing.code).toBe('not_found');
  });
});
