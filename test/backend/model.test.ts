import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { ExplainResult, FlaggedReading } from '../../src-main/contract/ops/model';
import { DEFAULT_START, simulate } from '../../src-main/core/data/simulator';
import { getColumn } from '../../src-main/core/data/table';
import { applyPreprocess, loadModel, loadModelArtifact, predict, scoreSamples } from '../../src-main/core/model';
import { PredictionLog } from '../../src-main/core/monitoring';
import { Registry } from '../../src-main/core/registry';
import { rejection, startTestWorker, tempDir } from '../helpers/backend';
import { buildFixtureRegistry } from './registry-fixture';

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

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
    const first = await host.call(
      'model.train',
      { algorithm: 'isolation-forest', datasetId: ds.id, trees: 50 },
      {
        onProgress: (phase, done) => {
          phases.add(phase);
          if (phase === 'training') trees = Math.max(trees, done);
        },
      },
    );
    expect(first.model).toBe('energy-anomaly');
    expect(first.version).toBe('1.0.0');
    expect(trees).toBe(50);
    expect([...phases]).toContain('training');
    expect(first.params).toMatchObject({
      algorithm: 'isolation-forest',
      features: FEATURES,
      label: 'is_anomaly',
      trees: 50,
      sampleSize: 256,
      contamination: 0.01,
      seed: 42,
      holdout: 0.2,
    });
    expect(first.metrics.anomalyRate).toBeCloseTo(0.01, 2);
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
    const reference = JSON.parse((await reg.loadReference('energy-anomaly', '1.0.0')).toString()) as {
      features: { name: string }[];
      rows: number;
    };
    expect(reference.features.map((f) => f.name)).toEqual(FEATURES);
    expect(reference.rows).toBe(first.versionMeta.trainingData.rows);
    const artifact = loadModelArtifact((await reg.loadArtifact('energy-anomaly', '1.0.0')).toString());
    expect(artifact.forest.params.nTrees).toBe(50);
    // The data has an id column, so the default is per-id scaling, recorded in params and artifact.
    expect(first.params).toMatchObject({ normalize: 'per-id', idColumn: 'building_id' });
    expect(artifact.preprocess).toMatchObject({ kind: 'per-id', idColumn: 'building_id' });

    const second = await host.call('model.train', {
      algorithm: 'isolation-forest',
      datasetId: ds.id,
      trees: 20,
      holdout: 0,
      contamination: 0.02,
      alias: 'production',
    });
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
    const job = host.call(
      'model.train',
      { algorithm: 'isolation-forest', datasetId: ds.id, trees: 5000 },
      {
        requestId: 'train-to-cancel',
        onProgress: () => {
          if (!cancelledAt) {
            cancelledAt = Date.now();
            host.cancel('train-to-cancel');
          }
        },
      },
    );
    const error = await rejection(job);
    expect(error.code).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    const reg = await Registry.openOrCreate(registry);
    expect((await reg.listModels()).flatMap((m) => (m.versionCount ? [m.name] : []))).toEqual([]);
    // The worker is fine afterwards and the next version is still 1.0.0.
    expect((await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 5 })).version).toBe('1.0.0');
  });

  it('refuses data without features, unknown feature names and a label used as a feature', async () => {
    const { host } = start();
    const ds = await host.call('data.simulate', { buildings: 1, days: 1 });
    const unknown = await rejection(
      host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, features: ['total_kw', 'nope'] }),
    );
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.message).toContain('"nope"');
    expect(unknown.info.field).toBe('features');
    const both = await rejection(
      host.call('model.train', {
        algorithm: 'isolation-forest',
        datasetId: ds.id,
        features: ['total_kw', 'is_anomaly'],
        label: 'is_anomaly',
      }),
    );
    expect(both.message).toMatch(/both a feature and the label/);
    const badHoldout = await rejection(host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, holdout: 0.9 }));
    expect(badHoldout.info.field).toBe('holdout');
  });
});

describe('model.score and model.explain through the worker', () => {
  it('scores a large input on several threads with the same flags as one thread', async () => {
    const { registry, host } = start();
    const big = { buildings: 10, days: 900, seed: 3, anomalyRate: 0.01 }; // 216,000 rows: above the parallel cut-off
    const ds = await host.call('data.simulate', { ...big });
    await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 50, contamination: 0.01, normalize: 'none' });
    const result = await host.call('model.score', { datasetId: ds.id, log: false });
    expect(result.rows).toBe(216_000);

    const table = simulate({ ...big, drift: 'none', start: DEFAULT_START });
    const reg = await Registry.open(registry);
    const { forest } = loadModelArtifact((await reg.loadArtifact('energy-anomaly', '1.0.0')).toString());
    const columns = forest.features.map((f) => (getColumn(table, f) as { values: Float64Array }).values);
    const flags = predict(forest, scoreSamples(forest, columns));
    expect(result.anomalies).toBe(flags.reduce((a, b) => a + b, 0));
    expect(result.threads).toBe(Math.min(2, availableParallelism()));
    expect(result.scoreSummary.max).toBe(scoreSamples(forest, columns).reduce((a, b) => Math.max(a, b), 0));
  });

  it('flags what predict flags, logs every reading, and log:false logs nothing', async () => {
    const { registry, host } = start();
    const ds = await host.call('data.simulate', { ...SIM });
    await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 60, contamination: 0.03 });
    const result = await host.call('model.score', { datasetId: ds.id });
    expect(result).toMatchObject({ model: 'energy-anomaly', version: '1.0.0', rows: 672, logged: 672, datasetId: ds.id });
    expect(result.latencyMs).toBeGreaterThan(0);

    // The same data and the stored model, outside the worker: the same flags.
    const table = simulate({ ...SIM, drift: 'none', start: DEFAULT_START });
    const reg = await Registry.open(registry);
    const { forest: model, preprocess } = loadModelArtifact((await reg.loadArtifact('energy-anomaly', '1.0.0')).toString());
    const columns = model.features.map((f) => (getColumn(table, f) as { values: Float64Array }).values);
    const ids = getColumn(table, 'building_id') as { codes: Int32Array; dictionary: string[] };
    const flags = predict(model, scoreSamples(model, applyPreprocess(preprocess, columns, ids)));
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
    await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 10, alias: 'production' });
    await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 10 });
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
      lines.push(
        `2025-03-01T${String(i % 24).padStart(2, '0')}:00:00Z,${(Math.sin(i / 5) * 10).toFixed(3)},${(50 + Math.sin(i / 11) * 5).toFixed(3)},${c.toFixed(3)}`,
      );
    }
    writeFileSync(csv, lines.join('\n') + '\n');
    const ds = await host.call('data.import', { path: csv });
    await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 100 });
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

describe('per-id normalisation through the worker', () => {
  // Three buildings of different size: unnormalised, the biggest one's peaks look "anomalous".
  const CONTEXTUAL = { buildings: 3, days: 28, seed: 42, anomalyRate: 0.015 };

  it('per-id finds the contextual anomalies that raw values miss; the reference profile stays raw', async () => {
    const { registry, host } = start();
    const ds = await host.call('data.simulate', { ...CONTEXTUAL });
    const perId = await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, contamination: 0.015 });
    const none = await host.call('model.train', {
      algorithm: 'isolation-forest',
      datasetId: ds.id,
      contamination: 0.015,
      normalize: 'none',
    });
    expect(perId.params).toMatchObject({ normalize: 'per-id', idColumn: 'building_id' });
    expect(none.params).toMatchObject({ normalize: 'none', idColumn: null });
    // Judged on all 2,016 labelled rows (the holdout has too few anomalies for a stable F1).
    const scoredPerId = await host.call('model.score', { datasetId: ds.id, version: perId.version, log: false });
    const scoredNone = await host.call('model.score', { datasetId: ds.id, version: none.version, log: false });
    expect(scoredPerId).toMatchObject({ normalize: 'per-id', idColumn: 'building_id', warnings: [] });
    expect(scoredNone.normalize).toBe('none');
    const a = scoredPerId.evaluation!;
    const b = scoredNone.evaluation!;
    expect(a.rocAuc!).toBeGreaterThanOrEqual(0.95);
    expect(a.rocAuc!).toBeGreaterThan(b.rocAuc!);
    expect(a.f1).toBeGreaterThan(b.f1 + 0.2);

    // Drift compares raw data: the profile holds kW, not scaled values (those have a median near 0).
    const reg = await Registry.open(registry);
    type Profile = { features: { name: string; quantiles: { p50: number } }[] };
    const ref = JSON.parse((await reg.loadReference('energy-anomaly', perId.version)).toString()) as Profile;
    const refNone = JSON.parse((await reg.loadReference('energy-anomaly', none.version)).toString()) as Profile;
    expect(ref).toEqual(refNone);
    expect(ref.features.find((f) => f.name === 'total_kw')!.quantiles.p50).toBeGreaterThan(10);
    expect(perId.versionMeta.trainingData.sha256).toBe(none.versionMeta.trainingData.sha256);

    // Explanations: paths over scaled values, but raw values and raw percentiles shown, plus the
    // value the forest saw, which must be (value − the building's median) / its scale from the artifact.
    const { preprocess } = loadModelArtifact((await reg.loadArtifact('energy-anomaly', perId.version)).toString());
    if (preprocess.kind !== 'per-id') throw new Error('expected a per-id artifact');
    const top: FlaggedReading = scoredPerId.top[0]!;
    const why: ExplainResult = await host.call('model.explain', { datasetId: ds.id, version: perId.version, row: top.row, topK: 7 });
    expect(why.normalize).toBe('per-id');
    expect(why.score).toBeCloseTo(top.score, 12);
    const stats = preprocess.scaler.groups.find((g) => g.id === top.id)!;
    for (const c of why.contributions) {
      const f = preprocess.scaler.features.indexOf(c.feature);
      expect(c.value).toBe(top.values[c.feature]);
      expect(c.reference.p50).toBeCloseTo(ref.features.find((x) => x.name === c.feature)!.quantiles.p50, 9);
      expect(c.normalized).toBeCloseTo((c.value! - stats.median[f]!) / stats.scale[f]!, 9);
    }
    const plain: ExplainResult = await host.call('model.explain', { datasetId: ds.id, version: none.version, row: top.row, topK: 2 });
    expect(plain.contributions.every((c) => c.normalized === null)).toBe(true);
  });

  it('refuses to score data without the id column, warns about unseen ids, and refuses per-id without an id', async () => {
    const { host } = start();
    const ds = await host.call('data.simulate', { buildings: 2, days: 7, seed: 5 });
    const perId = await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 20 });
    const none = await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 20, normalize: 'none' });

    // The same readings without building_id.
    const dir = tempDir();
    const full = join(dir, 'full.csv');
    await host.call('data.exportCsv', { datasetId: ds.id, path: full });
    const lines = readFileSync(full, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split(','));
    const drop = lines[0]!.indexOf('building_id');
    const stripped = join(dir, 'no-id.csv');
    writeFileSync(stripped, lines.map((l) => l.filter((_, i) => i !== drop).join(',')).join('\n') + '\n');
    const noId = await host.call('data.import', { path: stripped });
    const error = await rejection(host.call('model.score', { datasetId: noId.id, version: perId.version, log: false }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('scales each feature per "building_id"');
    expect(error.info.column).toBe('building_id');
    const explainError = await rejection(host.call('model.explain', { datasetId: noId.id, version: perId.version, row: 0 }));
    expect(explainError.info.column).toBe('building_id');
    // A version trained without normalisation does not need it.
    expect((await host.call('model.score', { datasetId: noId.id, version: none.version, log: false })).rows).toBe(noId.rows);

    // A building the scaler never saw: scored with the global stats, and said so.
    const more = await host.call('data.simulate', { buildings: 3, days: 2, seed: 6 });
    const scored = await host.call('model.score', { datasetId: more.id, version: perId.version, log: false });
    expect(scored.warnings).toHaveLength(1);
    expect(scored.warnings[0]).toMatch(/1 building_id value not seen in training \(B03\)/);

    const refused = await rejection(
      host.call('model.train', { algorithm: 'isolation-forest', datasetId: noId.id, trees: 5, normalize: 'per-id' }),
    );
    expect(refused.info.field).toBe('normalize');
    expect((await host.call('model.train', { algorithm: 'isolation-forest', datasetId: noId.id, trees: 5 })).params.normalize).toBe('none');
  });

  it('still scores a version whose artifact is a bare forest (written before preprocessing existed)', async () => {
    const dir = join(tempDir('gl-model-old-'), 'registry');
    const reg = await buildFixtureRegistry(dir, 1);
    host = startTestWorker(dir);
    const ds = await host.call('data.simulate', { buildings: 3, days: 7, seed: 7, anomalyRate: 0.01 });
    const scored = await host.call('model.score', { datasetId: ds.id, version: '1.0.0', log: false });
    expect(scored.normalize).toBe('none');
    const forest = loadModel((await reg.loadArtifact('energy-anomaly', '1.0.0')).toString());
    const table = simulate({ buildings: 3, days: 7, seed: 7, anomalyRate: 0.01, drift: 'none', start: DEFAULT_START });
    const columns = forest.features.map((f) => (getColumn(table, f) as { values: Float64Array }).values);
    expect(scored.anomalies).toBe(predict(forest, scoreSamples(forest, columns)).reduce((x, y) => x + y, 0));
    const why = await host.call('model.explain', { datasetId: ds.id, version: '1.0.0', row: scored.top[0]!.row });
    expect(why.normalize).toBe('none');
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

    const reading: number[] = [];
    const imported = await host.call('data.import', { path: file }, { onProgress: (p, done) => p === 'reading' && reading.push(done) });
    expect(reading.at(-1)).toBe(readFileSync(file).length);
    expect(imported.source).toBe('imported');
    expect(imported.name).toBe('sim');
    expect(imported.rows).toBe(sim.rows);
    expect(imported.labelledAnomalies).toBe(sim.labelledAnomalies);
    expect(imported.columns).toEqual(sim.columns);
    expect(imported.import).toMatchObject({ rows: sim.rows, droppedRows: 0, missingPolicy: 'drop', delimiter: ',' });
    for (const s of sim.summary) {
      const t = imported.summary.find((x) => x.name === s.name)!;
      if (s.mean === null) expect(t.mean, s.name).toBeNull();
      else expect(t.mean, s.name).toBeCloseTo(s.mean, 3);
    }
    expect(imported.preview.rows[0]).toEqual(sim.preview.rows[0]);

    // A role override from the import dialog: occupancy is not a feature.
    const custom = await host.call('data.import', { path: file, roles: { occupancy: 'ignored' }, name: 'custom' });
    expect(custom.columns.find((c) => c.name === 'occupancy')?.role).toBe('ignored');
    const trained = await host.call('model.train', { algorithm: 'isolation-forest', datasetId: custom.id, trees: 5 });
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
