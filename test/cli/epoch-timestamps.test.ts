import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

const DAY_S = 86_400;

/** The simulator CSV with its ISO timestamps rewritten as Unix epoch seconds, shifted by `shiftDays`. */
function asEpochSeconds(iso: string, out: string, shiftDays: number): void {
  const [header, ...lines] = iso.trimEnd().split('\n');
  const rows = lines.map((l) => {
    const comma = l.indexOf(',');
    const seconds = Date.parse(l.slice(0, comma)) / 1000 + shiftDays * DAY_S;
    return `${seconds}${l.slice(comma)}`;
  });
  writeFileSync(out, [header, ...rows].join('\n') + '\n');
}

describe('Unix epoch timestamps', () => {
  it('are the timestamp, not a feature: shifting the same readings by 30 days does not change the anomalies', () => {
    const dir = tempDir('gl-cli-epoch-');
    const iso = join(dir, 'sim.csv');
    expect(runCli(['simulate', '--out', iso, '--buildings', '2', '--days', '20', '--seed', '5', '--anomaly-rate', '0.02']).code).toBe(0);
    const text = readFileSync(iso, 'utf8');
    const base = join(dir, 'epoch.csv');
    const shifted = join(dir, 'epoch-shifted.csv');
    asEpochSeconds(text, base, 0);
    asEpochSeconds(text, shifted, 30);
    const registry = join(dir, 'registry');
    const trained = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', base, '--trees', '50', '--json']);
    expect(trained.code).toBe(0);
    expect(JSON.parse(trained.stdout).params.features).not.toContain('timestamp');

    const score = (file: string) => {
      const r = runCli(['score', '--registry', registry, '--data', file, '--no-log', '--json']);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as { rows: number; anomalies: number };
    };
    const a = score(base);
    const b = score(shifted);
    expect(a.rows).toBe(960);
    expect(b.anomalies).toBe(a.anomalies);

    const drift = runCli(['drift', '--registry', registry, '--current', shifted, '--json']);
    const features = (JSON.parse(drift.stdout) as { features: { name: string }[] }).features.map((f) => f.name);
    expect(features).not.toContain('timestamp');
  });
});
