import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/backend';

/**
 * `greenlens train --include-feedback` with the contextual detector: faults
 * confirmed with `feedback mark` are left out of the baseline fit (the backend
 * test checks the expected load; here the CLI path and the recorded counts).
 */
describe('train --include-feedback (contextual)', () => {
  it('counts the verdicts and the confirmed faults left out of the fit', () => {
    const dir = tempDir('gl-cli-fb-ctx-');
    const csv = join(dir, 'readings.csv');
    const T0 = Date.UTC(2024, 0, 1);
    const lines = ['building_id,timestamp,hvac_kw,is_anomaly'];
    const faults = [10, 178, 346]; // Monday 10:00 of the first three weeks
    for (const b of ['b1', 'b2']) {
      for (let h = 0; h < 6 * 168; h++) {
        const open = Math.floor(h / 24) % 7 < 5 && h % 24 >= 8 && h % 24 < 18;
        const fault = b === 'b1' && faults.includes(h);
        const kw = (open ? 50 : 15) * (1 + 0.004 * Math.sin(h * 12.9898)) + (fault ? 60 : 0);
        lines.push(`${b},${new Date(T0 + h * 3_600_000).toISOString()},${kw.toFixed(3)},${fault ? 1 : 0}`);
      }
    }
    writeFileSync(csv, lines.join('\n') + '\n');
    const registry = join(dir, 'reg');
    const first = runCli(['train', '--registry', registry, '--data', csv, '--algorithm', 'contextual', '--json']);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout).metrics.feedbackReadings).toBeUndefined();
    const marked = runCli([
      'feedback',
      'mark',
      '--registry',
      registry,
      '--version',
      '1.0.0',
      '--fault',
      'hvac_fault',
      ...faults.flatMap((h) => ['--reading', `b1@${new Date(T0 + h * 3_600_000).toISOString()}`]),
    ]);
    expect(marked.stderr).toBe('');
    expect(marked.code).toBe(0);
    const r = runCli(['train', '--registry', registry, '--data', csv, '--algorithm', 'contextual', '--include-feedback', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { params: { algorithm: string }; metrics: Record<string, number> };
    expect(out.params.algorithm).toBe('contextual');
    expect(out.metrics.feedbackReadings).toBe(3);
    // All three are before the holdout (the last 20 % of the six weeks).
    expect(out.metrics.feedbackFaultsExcluded).toBe(3);
    expect(out.metrics.importance_hvac_kw).toBeGreaterThanOrEqual(0);
  });
});
