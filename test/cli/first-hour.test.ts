import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/** What a new user meets in the first hour on a fresh registry: simulate → train → score → drift → report. */

let dir = '';
let registry = '';
let csv = '';

beforeAll(() => {
  dir = tempDir('gl-first-hour-');
  registry = join(dir, 'registry');
  csv = join(dir, 'sim.csv');
  expect(runCli(['simulate', '--out', csv, '--seed', '5']).code).toBe(0);
  expect(runCli(['train', '--registry', registry, '--data', csv, '--trees', '30']).code).toBe(0);
  expect(runCli(['score', '--registry', registry, '--data', csv]).code).toBe(0);
}, 180_000);

describe('the report of a fresh registry', () => {
  it('states drift in the units its rule uses (mean shift in σ, as `greenlens drift` prints it) and does not say there are no alert rules', () => {
    const out = join(dir, 'report.html');
    const r = runCli(['report', '--registry', registry, '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');

    // Every logged reading is the simulated file's: the report's mean shift per feature is the drift command's.
    const drift = JSON.parse(runCli(['drift', '--registry', registry, '--current', csv, '--json']).stdout) as {
      features: { name: string; meanShift: number }[];
    };
    expect(html).toContain('<th class="num">Mean shift σ</th>');
    for (const f of drift.features) {
      const row = new RegExp(
        `<td>${f.name}</td><td>[^<]*</td><td class="num">[^<]*</td><td class="num">[^<]*</td><td class="num">([^<]*)</td>`,
      );
      const cell = row.exec(html)?.[1];
      expect(cell, f.name).toBeDefined();
      // The log keeps feature values as float32: equal to the third decimal.
      expect(Math.abs(Number(cell) - f.meanShift), f.name).toBeLessThan(0.002);
    }

    // A fresh registry has the default rules (alerts rules lists them); none has fired.
    expect(runCli(['alerts', 'rules', '--registry', registry, '--json']).stdout).toContain('"anomaly-rate"');
    expect(html).toContain('No alert has fired in this registry yet.');
    expect(html).not.toContain('no alert rules');
  }, 120_000);
});
