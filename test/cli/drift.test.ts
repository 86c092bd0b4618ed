import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvText } from '../../src-main/core/data/csv-write';
import { filterRows } from '../../src-main/core/data/table';
import { buildFixture, type Fixture } from '../backend/monitoring-fixture';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/** `greenlens drift` (ARCHITECTURE §7) on CSVs written from the monitoring fixture's simulations. */
let dir: string;
let fx: Fixture;
const env = (): Record<string, string> => ({ GREENLENS_CONFIG_DIR: join(dir, 'config'), GREENLENS_DATA_DIR: dir });
const file = (name: string): string => join(dir, name);

interface DriftJson {
  features: Array<{
    name: string;
    psi: number;
    ks: { statistic: number; pValue: number; method: string };
    meanShift: number;
    wasserstein: number;
    jensenShannon: number;
    drifted: boolean;
    reasons: string[];
  }>;
  driftedShare: number;
  datasetDrift: boolean;
}

beforeAll(async () => {
  dir = tempDir('gl-cli-drift-');
  fx = await buildFixture(join(dir, 'registry'));
  const write = (name: string, table: Fixture['baseline'], keep: 0 | 1): void => {
    const rows = Uint8Array.from(fx.trainMask, (m) => (m === keep ? 1 : 0));
    writeFileSync(file(name), csvText(filterRows(table, rows)));
  };
  write('reference.csv', fx.baseline, 1);
  write('current-same.csv', fx.baseline, 0);
  write('current-heatwave.csv', fx.heatwave, 0);
});

describe('greenlens drift', () => {
  it('--json prints the ARCHITECTURE §7 shape; heatwave data drifts in outdoor_temp_c and hvac_kw', () => {
    const r = runCli(['drift', '--reference', file('reference.csv'), '--current', file('current-heatwave.csv'), '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as DriftJson;
    expect(typeof out.driftedShare).toBe('number');
    expect(typeof out.datasetDrift).toBe('boolean');
    expect(out.features.length).toBe(7);
    for (const f of out.features) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['name', 'psi', 'ks', 'meanShift', 'wasserstein', 'jensenShannon', 'drifted', 'reasons']),
      );
      expect(Object.keys(f.ks)).toEqual(expect.arrayContaining(['statistic', 'pValue', 'method']));
      expect(['exact', 'asymp']).toContain(f.ks.method);
      expect(Array.isArray(f.reasons)).toBe(true);
    }
    const drifted = out.features.filter((f) => f.drifted).map((f) => f.name);
    expect(drifted).toEqual(expect.arrayContaining(['outdoor_temp_c', 'hvac_kw']));
    expect(drifted).not.toContain('humidity_pct');
    expect(out.features.find((f) => f.name === 'outdoor_temp_c')!.reasons[0]).toMatch(/PSI/);
  });

  it('--fail-on-drift exits 3 when drift is found, 0 when not', () => {
    const hot = runCli(
      ['drift', '--reference', file('reference.csv'), '--current', file('current-heatwave.csv'), '--fail-on-drift', '--json'],
      env(),
    );
    expect(hot.code).toBe(3);
    expect(JSON.parse(hot.stdout).driftedShare).toBeGreaterThan(0);
    const same = runCli(
      ['drift', '--reference', file('reference.csv'), '--current', file('current-same.csv'), '--fail-on-drift', '--json'],
      env(),
    );
    expect(same.code).toBe(0);
    const out = JSON.parse(same.stdout) as DriftJson;
    expect(out.features.filter((f) => f.drifted)).toEqual([]);
    expect(out.datasetDrift).toBe(false);
  });

  it('human output is a readable table with the verdict', () => {
    const r = runCli(
      [
        'drift',
        '--reference',
        file('reference.csv'),
        '--current',
        file('current-heatwave.csv'),
        '--features',
        'outdoor_temp_c,humidity_pct',
      ],
      env(),
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('feature'))).toMatch(/PSI\s+KS D\s+p\s+p adj/);
    expect(lines.find((l) => l.startsWith('outdoor_temp_c'))).toMatch(/DRIFT$/);
    expect(lines.find((l) => l.startsWith('humidity_pct'))).toMatch(/ok$/);
    expect(r.stdout).toMatch(/Dataset drift: 1 of 2 features drifted \(50%\)/);
  });

  it('compares with a registry version profile', () => {
    const r = runCli(['drift', '--registry', fx.dir, '--current', file('current-heatwave.csv'), '--json'], env());
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as DriftJson & { reference: { kind: string; version: string } };
    expect(out.reference).toMatchObject({ kind: 'profile', version: fx.version });
    expect(out.features.filter((f) => f.drifted).map((f) => f.name)).toEqual(expect.arrayContaining(['outdoor_temp_c', 'hvac_kw']));
  });

  it('usage errors exit 2, failures exit 1, each with a clear message', () => {
    const neither = runCli(['drift', '--current', file('current-same.csv')], env());
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/--registry DIR .* or --reference FILE\.csv/);
    expect(runCli(['drift', '--reference', file('reference.csv')], env()).code).toBe(2);
    expect(
      runCli(['drift', '--registry', fx.dir, '--version', '1.0.0', '--alias', 'production', '--current', file('current-same.csv')], env())
        .code,
    ).toBe(2);
    const missing = runCli(['drift', '--reference', file('nope.csv'), '--current', file('current-same.csv')], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv/);
    const noRegistry = runCli(['drift', '--registry', join(dir, 'nowhere'), '--current', file('current-same.csv')], env());
    expect(noRegistry.code).toBe(1);
    expect(noRegistry.stderr).toMatch(/No GreenLens registry/);
  });
});
