import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

function simulated(): { dir: string; csv: string; registry: string } {
  const dir = tempDir('gl-cli-train-');
  const csv = join(dir, 'sim.csv');
  const r = runCli(['simulate', '--out', csv, '--buildings', '2', '--days', '10', '--seed', '3', '--anomaly-rate', '0.03']);
  expect(r.code).toBe(0);
  return { dir, csv, registry: join(dir, 'registry') };
}

describe('greenlens train', () => {
  it('registers 1.0.0 then 1.0.1 and prints {model, version, params, metrics} with --json', () => {
    const { csv, registry } = simulated();
    const r = runCli([
      'train',
      '--algorithm',
      'isolation-forest',
      '--registry',
      registry,
      '--data',
      csv,
      '--trees',
      '30',
      '--contamination',
      '0.02',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      model: 'energy-anomaly',
      version: '1.0.0',
      params: { trees: 30, contamination: 0.02, seed: 42, label: 'is_anomaly' },
    });
    expect(out.params.features).toEqual([
      'outdoor_temp_c',
      'humidity_pct',
      'occupancy',
      'hvac_kw',
      'lighting_kw',
      'plug_load_kw',
      'total_kw',
    ]);
    expect(out.metrics.trainingMs).toBeGreaterThan(0);
    expect(out.metrics.rocAuc).toBeTypeOf('number');
    expect(existsSync(join(registry, 'models', 'energy-anomaly', 'versions', '1.0.0', 'reference.json'))).toBe(true);

    const again = runCli([
      'train',
      '--algorithm',
      'isolation-forest',
      '--registry',
      registry,
      '--data',
      csv,
      '--trees',
      '10',
      '--features',
      'total_kw,hvac_kw',
      '--alias',
      'production',
      '--json',
    ]);
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout);
    expect(second).toMatchObject({ version: '1.0.1', aliases: ['production'], params: { features: ['total_kw', 'hvac_kw'] } });

    const human = runCli([
      'train',
      '--algorithm',
      'isolation-forest',
      '--registry',
      registry,
      '--data',
      csv,
      '--trees',
      '5',
      '--version',
      '2.0.0',
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Registered energy-anomaly 2\.0\.0 in .*5 trees on \d+ rows × 7 features/);
  });

  it('--normalize: per-id by default when the CSV has an id column, none on request; scoring follows the artifact', () => {
    const { dir, csv, registry } = simulated();
    const byDefault = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--trees', '20']);
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toContain('scaled per building_id');
    const none = JSON.parse(
      runCli([
        'train',
        '--algorithm',
        'isolation-forest',
        '--registry',
        registry,
        '--data',
        csv,
        '--trees',
        '20',
        '--normalize',
        'none',
        '--json',
      ]).stdout,
    );
    expect(none.params).toMatchObject({ normalize: 'none', idColumn: null });
    const perId = JSON.parse(
      runCli([
        'train',
        '--algorithm',
        'isolation-forest',
        '--registry',
        registry,
        '--data',
        csv,
        '--trees',
        '20',
        '--normalize',
        'per-id',
        '--json',
      ]).stdout,
    );
    expect(perId.params).toMatchObject({ normalize: 'per-id', idColumn: 'building_id' });
    const scored = JSON.parse(
      runCli(['score', '--registry', registry, '--data', csv, '--version', perId.version, '--no-log', '--json']).stdout,
    );
    expect(scored).toMatchObject({ normalize: 'per-id', warnings: [] });

    // Without an id column there is nothing to scale within.
    const noId = join(dir, 'no-id.csv');
    writeFileSync(noId, 'a,b\n' + Array.from({ length: 50 }, (_, i) => `${i % 7},${(i * 3) % 11}`).join('\n') + '\n');
    const refused = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', noId, '--normalize', 'per-id']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('needs an id column');
    expect(
      JSON.parse(
        runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', noId, '--trees', '5', '--json']).stdout,
      ).params.normalize,
    ).toBe('none');
  });

  it('a constant feature is dropped with a warning and recorded in the version; only constant features is refused', () => {
    const { dir } = simulated();
    const registry = join(dir, 'registry-constant');
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, 'load_kw,setpoint_c\n' + Array.from({ length: 80 }, (_, i) => `${(i * 7) % 13},21.5`).join('\n') + '\n');
    const r = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', mixed, '--trees', '10', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Warning: Feature "setpoint_c" is constant (21.5 in all 80 rows) and was left out of the model.\n');
    const out = JSON.parse(r.stdout);
    expect(out.params.features).toEqual(['load_kw']);
    expect(out.params.droppedFeatures).toEqual(['setpoint_c']);
    expect(out.warnings).toEqual(['Feature "setpoint_c" is constant (21.5 in all 80 rows) and was left out of the model.']);
    const shown = JSON.parse(runCli(['versions', 'show', '--registry', registry, '--version', out.version, '--json']).stdout);
    expect(shown.params.droppedFeatures).toEqual(['setpoint_c']);

    const only = join(dir, 'only-constant.csv');
    writeFileSync(
      only,
      'timestamp,setpoint_c\n' +
        Array.from({ length: 30 }, (_, i) => `2026-01-01T${String(i % 24).padStart(2, '0')}:00:00Z,21.5`).join('\n') +
        '\n',
    );
    const refused = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', only]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Every feature is constant (setpoint_c = 21.5): an anomaly model needs at least one feature that varies.',
    );
    expect(refused.stdout).toBe('');
    // Nothing was registered for the refused file.
    expect(JSON.parse(runCli(['versions', 'list', '--registry', registry, '--json']).stdout).versions).toHaveLength(1);
  });

  it('exits 2 on bad arguments, naming the flag', () => {
    const { csv, registry } = simulated();
    const cases: [string[], RegExp][] = [
      [['--trees', '0'], /--trees must be an integer between 1 and 5000, got 0\./],
      [['--contamination', '2'], /--contamination must be "auto" or a number in \(0, 0\.5\], got 2\./],
      [['--version', '1.0'], /--version must be a semantic version like 1\.2\.0, got "1\.0"/],
      [['--alias', 'Prod Uction'], /--alias "Prod Uction" is not a valid name/],
      [['--sample-size', 'lots'], /--sample-size must be an integer between 2 and 100000, got "lots"\./],
      [['--features', 'a,,b'], /--features must be a comma-separated list/],
      [['--normalize', 'zscore'], /--normalize must be one of none, per-id, got "zscore"/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(runCli(['train', '--data', csv]).stderr).toContain('--registry is required');
    expect(existsSync(registry)).toBe(false); // nothing was created by a usage error
  });

  it('exits 1 naming a missing file, a broken line or an unknown column', () => {
    const { dir, csv, registry } = simulated();
    const missing = runCli(['train', '--registry', registry, '--data', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(dir, 'nope.csv'));
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'a,b\n1,2\n3,4\n5\n');
    const bad = runCli(['train', '--registry', registry, '--data', broken]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/broken\.csv line 4/);
    const col = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--features', 'total_kw,watts']);
    expect(col.code).toBe(1);
    expect(col.stderr).toContain('"watts"');
  });
});
