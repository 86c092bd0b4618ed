import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/** Which detector `greenlens train` fits when no --algorithm is given (issue 11: contextual is the default on timestamped data). */
describe('greenlens train without --algorithm', () => {
  it('trains the contextual detector on timestamped readings, one building when there is no id column', () => {
    const dir = tempDir('gl-cli-default-');
    const sim = join(dir, 'sim.csv');
    expect(runCli(['simulate', '--out', sim, '--buildings', '1', '--days', '40', '--seed', '6', '--anomaly-rate', '0.02']).code).toBe(0);
    // Drop the building_id column (the second): readings of one building.
    const lines = readFileSync(sim, 'utf8').trimEnd().split('\n');
    const csv = join(dir, 'one-building.csv');
    writeFileSync(
      csv,
      lines
        .map((l) =>
          l
            .split(',')
            .filter((_, j) => j !== 1)
            .join(','),
        )
        .join('\n') + '\n',
    );
    expect(lines[0]!.split(',')[1]).toBe('building_id');

    const r = runCli(['train', '--registry', join(dir, 'reg'), '--data', csv, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.params).toMatchObject({ algorithm: 'contextual', idColumn: null, timeColumn: 'timestamp', stuckHours: 6 });
    expect(out.metrics.buildings).toBe(1);
    expect(out.warnings).toEqual([]);
  });

  it('trains an Isolation Forest on data without a timestamp and says why', () => {
    const dir = tempDir('gl-cli-default-');
    const csv = join(dir, 'no-time.csv');
    writeFileSync(csv, 'load_kw,temp_c\n' + Array.from({ length: 80 }, (_, i) => `${(i * 7) % 13},${(i * 5) % 11}`).join('\n') + '\n');
    const note =
      'Dataset "no-time" has no timestamp column, and the contextual detector (the default for timestamped readings) needs one. ' +
      'So an Isolation Forest was trained.';
    const r = runCli(['train', '--registry', join(dir, 'reg'), '--data', csv, '--trees', '10', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Warning: ${note}\n`);
    const out = JSON.parse(r.stdout);
    expect(out.params).toMatchObject({ algorithm: 'isolation-forest', trees: 10 });
    expect(out.warnings).toEqual([note]);
  });

  it('falls back to the forest, saying why, when no feature is a meter or the history is too short; --algorithm overrides', () => {
    const dir = tempDir('gl-cli-default-');
    const registry = join(dir, 'reg');
    const hourly = (i: number) => new Date(Date.UTC(2026, 0, 1, i)).toISOString();
    const noMeter = join(dir, 'no-meter.csv');
    writeFileSync(
      noMeter,
      'timestamp,humidity_pct\n' + Array.from({ length: 24 * 40 }, (_, i) => `${hourly(i)},${40 + ((i * 7) % 13)}`).join('\n') + '\n',
    );
    const a = runCli(['train', '--registry', registry, '--data', noMeter, '--trees', '5', '--json']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).params.algorithm).toBe('isolation-forest');
    expect(a.stderr).toBe(
      'Warning: No feature of dataset "no-meter" looks like an energy meter (kW, kWh, power, load…, or a non-negative column ' +
        'following the hour of the week), and the contextual detector baselines meters (name them with --meters to use it). ' +
        'So an Isolation Forest was trained.\n',
    );

    // 20 days of two buildings, 20 % held out: 16 days to fit, below the 28 days a building's own baseline needs.
    const short = join(dir, 'short.csv');
    expect(runCli(['simulate', '--out', short, '--buildings', '2', '--days', '20', '--seed', '5']).code).toBe(0);
    const b = runCli(['train', '--registry', registry, '--data', short, '--trees', '5', '--json']);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout).params.algorithm).toBe('isolation-forest');
    expect(b.stderr).toBe(
      'Warning: No building in dataset "short" has 28 days of readings before the holdout, which the contextual detector ' +
        'needs for its baselines. So an Isolation Forest was trained.\n',
    );
    // Asked for by name, each detector is trained without a note.
    const forest = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', short, '--trees', '5', '--json']);
    expect(forest.stderr).toBe('');
    expect(JSON.parse(forest.stdout).params.algorithm).toBe('isolation-forest');
    const contextual = runCli(['train', '--algorithm', 'contextual', '--registry', registry, '--data', short, '--json']);
    expect(JSON.parse(contextual.stdout).params.algorithm).toBe('contextual');
  });
});
