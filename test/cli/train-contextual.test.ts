import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

describe('greenlens train on timestamped data', () => {
  it('trains the contextual detector on request and reports recall per fault type; score names the members', () => {
    const dir = tempDir();
    const csv = join(dir, 'year.csv');
    const registry = join(dir, 'reg');
    expect(
      runCli([
        'simulate',
        '--out',
        csv,
        '--profile',
        'year',
        '--buildings',
        '2',
        '--kinds',
        'office,hospital',
        '--seed',
        '4',
        '--anomaly-rate',
        '0.04',
      ]).code,
    ).toBe(0);
    const r = runCli(['train', '--algorithm', 'contextual', '--registry', registry, '--data', csv, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.params).toMatchObject({
      algorithm: 'contextual',
      meters: ['hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'],
      stuckHours: 6,
    });
    for (const t of ['hvac_fault', 'sensor_stuck', 'dropout', 'spike']) expect(out.metrics[`recall_${t}`], t).toBeTypeOf('number');
    const human = runCli(['train', '--algorithm', 'contextual', '--registry', registry, '--data', csv, '--stuck-hours', '8']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /Registered energy-anomaly 1\.0\.1 in .*: contextual detector on [\d,]+ readings of 2 building\(s\), meters hvac_kw, lighting_kw, plug_load_kw, total_kw, temperature outdoor_temp_c; .*recall by type: /,
    );
    const s = JSON.parse(runCli(['score', '--registry', registry, '--data', csv, '--no-log', '--json']).stdout);
    expect(s.algorithm).toBe('contextual');
    expect(Object.keys(s.flaggedByMember).sort()).toEqual(['forest', 'residual', 'rules', 'sustained']);
    expect(runCli(['train', '--registry', registry, '--data', csv, '--algorithm', 'forest']).stderr).toContain(
      '--algorithm must be one of contextual, isolation-forest, got "forest"',
    );
  }, 300_000); // five CLI runs, two of them training a year of readings
});
