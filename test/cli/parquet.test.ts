import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../src-main/core/data/csv-import';
import { importParquet } from '../../src-main/core/data/parquet-import';
import { tableToParquet } from '../../src-main/core/data/parquet-write';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

describe('greenlens with Parquet files', () => {
  it('train, score --out FILE.parquet and drift take a .parquet file like a CSV', async () => {
    const dir = tempDir('gl-cli-parquet-');
    const csv = join(dir, 'sim.csv');
    expect(runCli(['simulate', '--out', csv, '--buildings', '2', '--days', '10', '--seed', '9', '--anomaly-rate', '0.03']).code).toBe(0);
    const { table } = await importCsv(csv);
    const data = join(dir, 'sim.parquet');
    writeFileSync(data, tableToParquet(table));
    const registry = join(dir, 'registry');

    const train = runCli([
      'train',
      '--algorithm',
      'isolation-forest',
      '--registry',
      registry,
      '--data',
      data,
      '--trees',
      '40',
      '--contamination',
      '0.03',
      '--json',
    ]);
    expect(train.stderr).toBe('');
    // 480 rows less the 20% holdout, as with the CSV.
    expect(JSON.parse(train.stdout).trainingData.rows).toBe(384);

    const out = join(dir, 'scored.parquet');
    const score = runCli(['score', '--registry', registry, '--data', data, '--out', out, '--json']);
    expect(score.stderr).toBe('');
    const summary = JSON.parse(score.stdout);
    expect(summary).toMatchObject({ rows: 480, logged: 480, out: { path: out, rows: 480, renamed: { is_anomaly: 'is_anomaly_input' } } });
    // The same scores as scoring the CSV.
    const viaCsv = JSON.parse(runCli(['score', '--registry', registry, '--data', csv, '--no-log', '--json']).stdout);
    expect(summary.anomalies).toBe(viaCsv.anomalies);
    expect(summary.scores).toEqual(viaCsv.scores);

    const back = await importParquet(out, { roles: { anomaly_score: 'feature', is_anomaly: 'label' } });
    expect(back.table.rowCount).toBe(480);
    const flags = back.table.columns.find((c) => c.name === 'is_anomaly')!;
    const scores = back.table.columns.find((c) => c.name === 'anomaly_score')!;
    expect(flags.kind === 'number' && flags.values.reduce((a, b) => a + b, 0)).toBe(summary.anomalies);
    expect(scores.kind === 'number' && scores.values.every((s) => s > 0 && s <= 1)).toBe(true);
    expect(back.table.columns.map((c) => c.name)).toEqual([
      ...table.columns.map((c) => (c.name === 'is_anomaly' ? 'is_anomaly_input' : c.name)),
      'anomaly_score',
      'is_anomaly',
    ]);

    const drift = runCli(['drift', '--registry', registry, '--current', data, '--json']);
    expect([0, 3]).toContain(drift.code);
    expect(JSON.parse(drift.stdout).current.rows).toBe(480);
  });

  it('fails with the file named when a .parquet file is not Parquet', () => {
    const dir = tempDir('gl-cli-parquet-');
    const fake = join(dir, 'broken.parquet');
    writeFileSync(fake, 'timestamp,kw\n2024-01-01,1\n');
    const r = runCli(['train', '--algorithm', 'isolation-forest', '--registry', join(dir, 'reg'), '--data', fake]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('broken.parquet: not a readable Parquet file');
  });
});
