import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, logScenario, sinkState } from '../backend/monitoring-fixture';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/** `greenlens health` on a registry whose log holds heatwave readings. */
let dir: string;
let registry: string;
const env = (): Record<string, string> => ({ GREENLENS_CONFIG_DIR: join(dir, 'config'), GREENLENS_DATA_DIR: dir });

beforeAll(async () => {
  dir = tempDir('gl-cli-health-');
  registry = join(dir, 'registry');
  const fx = await buildFixture(registry);
  await logScenario(sinkState(registry), fx, 'heatwave');
});

describe('greenlens health', () => {
  it('--json prints status, reasons, recommendations and alerts', () => {
    const r = runCli(['health', '--registry', registry, '--json'], env());
    expect(r.stderr).toBe('');
    const h = JSON.parse(r.stdout) as {
      status: string;
      reasons: string[];
      recommendations: string[];
      alerts: Array<{ feature?: string }>;
      version: string;
    };
    expect(['warning', 'critical']).toContain(h.status);
    // Exit 4 says "a model is critical" to a nightly script.
    expect(r.code).toBe(h.status === 'critical' ? 4 : 0);
    expect(h.version).toBe('1.0.0');
    expect(h.reasons.length).toBeGreaterThan(0);
    expect(h.recommendations.some((line) => /outdoor_temp_c|hvac_kw/.test(line))).toBe(true);
    expect(h.alerts.some((a) => a.feature === 'outdoor_temp_c')).toBe(true);
  });

  it('human output leads with the status and says what to do', () => {
    const r = runCli(['health', '--registry', registry], env());
    expect([0, 4]).toContain(r.code);
    expect(r.stdout.split('\n')[0]).toMatch(/^(▲ WARNING|✖ CRITICAL) {2}energy-anomaly 1\.0\.0/);
    expect(r.stdout).toMatch(/What to do:/);
  });

  it('exits 2 without --registry and 1 for a folder that is not a registry', () => {
    expect(runCli(['health'], env()).code).toBe(2);
    const r = runCli(['health', '--registry', join(dir, 'missing')], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No GreenLens registry/);
  });
});

describe('greenlens health on a big fleet scoring its own training days', () => {
  it('judges drift over a week of readings, not the three and a half days its last 10,000 are', () => {
    const fleet = join(dir, 'fleet');
    const data = join(dir, 'fleet.csv');
    // 120 buildings, hourly: 10,000 readings are 83 hours, without a weekend's worth of Saturdays and Sundays.
    expect(runCli(['simulate', '--out', data, '--buildings', '120', '--days', '14'], env()).code).toBe(0);
    expect(runCli(['train', '--registry', fleet, '--data', data], env()).code).toBe(0);
    expect(runCli(['score', '--registry', fleet, '--data', data], env()).code).toBe(0);
    const r = runCli(['health', '--registry', fleet, '--json'], env());
    const h = JSON.parse(r.stdout) as {
      status: string;
      drift: { rows: number; sampledEvery: number; datasetDrift: boolean; fromMs: number; toMs: number };
    };
    // Before, every feature drifted and health was critical, advising a retrain on those days.
    expect(h.status).not.toBe('critical');
    expect(r.code).toBe(0);
    expect(h.drift.datasetDrift).toBe(false);
    expect(h.drift).toMatchObject({ rows: 10_000, sampledEvery: 2 });
    expect(h.drift.toMs - h.drift.fromMs).toBeGreaterThan(6.9 * 86_400_000);
    const human = runCli(['health', '--registry', fleet], env());
    expect(human.stdout).toMatch(/features drifted over 10,000 predictions of the last 7 days \(1 in 2 kept\)/);
  }, 60_000);
});
