import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PredictionLog } from '../../src-main/core/monitoring';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

function trained(): { dir: string; csv: string; registry: string } {
  const dir = tempDir('gl-cli-score-');
  const csv = join(dir, 'sim.csv');
  expect(runCli(['simulate', '--out', csv, '--buildings', '2', '--days', '10', '--seed', '9', '--anomaly-rate', '0.03']).code).toBe(0);
  const registry = join(dir, 'registry');
  expect(
    runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--trees', '40', '--contamination', '0.03'])
      .code,
  ).toBe(0);
  return { dir, csv, registry };
}

describe('greenlens score', () => {
  it('simulate → train → score --out: same rows plus anomaly_score and is_anomaly, predictions logged', async () => {
    const { dir, csv, registry } = trained();
    const out = join(dir, 'scored.csv');
    const r = runCli(['score', '--registry', registry, '--data', csv, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ model: 'energy-anomaly', version: '1.0.0', rows: 480, logged: 480 });
    expect(summary.out).toMatchObject({ path: out, rows: 480, renamed: { is_anomaly: 'is_anomaly_input' } });

    const input = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(input.length);
    expect(lines[0]).toBe(input[0]!.replace('is_anomaly', 'is_anomaly_input') + ',anomaly_score,is_anomaly');
    const flags = lines.slice(1).map((l) => Number(l.split(',').at(-1)));
    const scores = lines.slice(1).map((l) => Number(l.split(',').at(-2)));
    expect(new Set(flags)).toEqual(new Set([0, 1]));
    expect(flags.reduce((a, b) => a + b, 0)).toBe(summary.anomalies);
    expect(scores.every((s) => s > 0 && s <= 1)).toBe(true);
    // The first input row is unchanged before the added columns.
    expect(lines[1]!.startsWith(input[1]!)).toBe(true);

    const log = await PredictionLog.open(join(registry, 'predictions'));
    expect(log.count()).toBe(480);
    await log.close();
    const quiet = runCli(['score', '--registry', registry, '--data', csv, '--no-log', '--alias', 'production']);
    // No production alias yet: a clear failure naming the alias.
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/no alias production/);
    const noLog = runCli(['score', '--registry', registry, '--data', csv, '--no-log', '--version', '1.0.0']);
    expect(noLog.code).toBe(0);
    expect(noLog.stdout).toMatch(/Not logged/);
    const after = await PredictionLog.open(join(registry, 'predictions'));
    expect(after.count()).toBe(480);
    await after.close();
  });

  it("logs rows skipped on import: a warn line in the data folder's log, and on stderr with --verbose", () => {
    const { dir, csv, registry } = trained();
    const lines = readFileSync(csv, 'utf8').split('\n');
    const header = lines[0]!.split(',');
    const row = lines[5]!.split(',');
    row[header.indexOf('hvac_kw')] = '';
    lines[5] = row.join(',');
    const holey = join(dir, 'holey.csv');
    writeFileSync(holey, lines.join('\n'));
    const env = { GREENLENS_DATA_DIR: join(dir, 'data'), GREENLENS_CONFIG_DIR: join(dir, 'config') };
    const warning = `WARN  Import of ${holey}: Dropped 1 rows with a missing or non-numeric feature value (missing values: drop;`;

    const quiet = runCli(['score', '--registry', registry, '--data', holey, '--no-log', '--json'], env);
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).rows).toBe(479);
    expect(quiet.stderr).toBe('');
    const logFile = join(dir, 'data', 'logs', 'greenlens.log');
    expect(readFileSync(logFile, 'utf8').trim().split('\n')).toEqual([expect.stringContaining(warning)]);

    const verbose = runCli(['score', '--registry', registry, '--data', holey, '--no-log', '--json', '--verbose'], env);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toContain(warning);
    // Debug lines reach stderr only: the file keeps info and above.
    expect(verbose.stderr).toMatch(/DEBUG Scoring on one thread\. \{"rows":479,"reason":"too few rows or cores"\}/);
    expect(readFileSync(logFile, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('exits 2 on bad arguments and 1 on a missing file or registry', () => {
    const { dir, csv, registry } = trained();
    const both = runCli(['score', '--registry', registry, '--data', csv, '--version', '1.0.0', '--alias', 'production']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either --version or --alias');
    expect(runCli(['score', '--registry', registry, '--data', csv, '--version', 'latest']).code).toBe(2);
    expect(runCli(['score', '--registry', registry]).stderr).toContain('--data is required');
    const missing = runCli(['score', '--registry', registry, '--data', join(dir, 'missing.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(dir, 'missing.csv'));
    const noRegistry = runCli(['score', '--registry', join(dir, 'elsewhere'), '--data', csv]);
    expect(noRegistry.code).toBe(1);
    expect(noRegistry.stderr).toContain(`No registry at ${join(dir, 'elsewhere')}`);
  });
});
