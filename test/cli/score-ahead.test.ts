import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/**
 * `greenlens score` of a file large enough for the scoring thread (over 3.2 MB):
 * its rows are scored while it is read (backend/model/score-ahead.ts). A bad
 * row past several batches must fail the command as before, with nothing
 * written and no thread left holding the process open.
 */
describe('greenlens score while reading', () => {
  it('a bad row after several batches: exit 1, the row named, no output, no predictions logged', () => {
    const dir = tempDir('gl-cli-score-ahead-');
    const csv = join(dir, 'sim.csv');
    // 70 buildings × 30 days hourly: 50,400 rows, ~4 MB.
    expect(runCli(['simulate', '--out', csv, '--buildings', '70', '--days', '30', '--seed', '4']).code).toBe(0);
    const registry = join(dir, 'registry');
    const train = runCli([
      'train',
      '--algorithm',
      'isolation-forest',
      '--normalize',
      'none',
      '--registry',
      registry,
      '--data',
      csv,
      '--trees',
      '20',
    ]);
    expect(train.code).toBe(0);
    const lines = readFileSync(csv, 'utf8').split('\n');
    lines[40_000] += ',1';
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const out = join(dir, 'scored.csv');
    const r = runCli(['score', '--registry', registry, '--data', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv line 40001: expected 11 fields \(as in the header\), found 12/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('scored'))).toEqual([]);
    const predictions = join(registry, 'predictions');
    expect(existsSync(predictions) ? readdirSync(predictions).filter((f) => f.endsWith('.glp')) : []).toEqual([]);
  }, 120_000);
});
