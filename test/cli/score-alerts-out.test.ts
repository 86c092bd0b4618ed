import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { registryWithRateRule, runCli } from '../helpers/cli';

/**
 * `greenlens score --out` checks the alert rules while it writes the output
 * file (score-output.ts): the check still runs, and is finished before the
 * command ends, whether the output is written or its write fails.
 */
let dir: string;
let registry: string;
let csv: string;
const env = (): Record<string, string> => ({ GREENLENS_CONFIG_DIR: join(dir, 'config'), GREENLENS_DATA_DIR: dir });
const openAlerts = (): string[] => {
  const r = runCli(['alerts', 'list', '--registry', registry, '--status', 'open', '--json'], env());
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { alerts: { rule: string }[] }).alerts.map((a) => a.rule);
};

beforeAll(() => {
  dir = tempDir('gl-cli-score-alerts-out-');
  registry = join(dir, 'registry');
  csv = registryWithRateRule(dir, registry, env());
}, 120_000);

describe('score --out and the alert rules', () => {
  it('a failed output write still leaves the rules checked (the log was written) and exits 1 naming the file', () => {
    const out = join(dir, 'no-such-folder', 'scored.csv');
    const r = runCli(['score', '--registry', registry, '--data', csv, '--out', out], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(out);
    expect(existsSync(out)).toBe(false);
    expect(openAlerts()).toEqual(['rate']);
  }, 60_000);

  it('a written output: the file, the logged rows and the rules checked again (the open alert repeats nothing new)', () => {
    const out = join(dir, 'scored.csv');
    const r = runCli(['score', '--registry', registry, '--data', csv, '--out', out, '--json'], env());
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { rows: number; logged: number; out: { rows: number } };
    expect(result.logged).toBe(result.rows);
    expect(result.out.rows).toBe(result.rows);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(result.rows + 1);
    expect(openAlerts()).toEqual(['rate']);
    const events = readFileSync(join(registry, 'alerts', 'events.ndjson'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(events.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['open']);
  }, 60_000);

  it('a failed explanation log (written while the output is): no output file, exit 1, the rules still checked', () => {
    // The explanation log cannot be appended to: a folder stands where the file goes.
    const explanations = join(registry, 'predictions', 'explanations.ndjson');
    rmSync(explanations, { force: true });
    mkdirSync(explanations);
    try {
      const outDir = join(dir, 'unexplained');
      mkdirSync(outDir);
      const out = join(outDir, 'scored.csv');
      const r = runCli(['score', '--registry', registry, '--data', csv, '--out', out], env());
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('explanations.ndjson');
      expect(readdirSync(outDir)).toEqual([]);
      expect(openAlerts()).toEqual(['rate']);
    } finally {
      rmSync(explanations, { recursive: true, force: true });
    }
  }, 60_000);
});
