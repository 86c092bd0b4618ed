import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/** 48 hourly rows: a time column plus the given numeric columns, values from `value(row, column)`. */
function csv(dir: string, name: string, columns: string[], value: (row: number, col: number) => string): string {
  const lines = [['time', ...columns].join(',')];
  for (let i = 0; i < 48; i++) {
    const t = new Date(Date.UTC(2024, 0, 1, i)).toISOString();
    lines.push([t, ...columns.map((_, j) => value(i, j))].join(','));
  }
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('columns and values that trip plain objects and naive sums', () => {
  it('columns named constructor, toString, __proto__ and hasOwnProperty are features like any other', () => {
    const dir = tempDir('gl-cli-odd-');
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'kwh'];
    const file = csv(dir, 'proto.csv', names, (i, j) => String(((i * (j + 3)) % 17) + j));
    const r = runCli(['train', '--algorithm', 'isolation-forest', '--registry', join(dir, 'reg'), '--data', file, '--json'], {
      GREENLENS_CONFIG_DIR: join(dir, 'config'),
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).params.features).toEqual(names);
  });

  it('values near ±1e300 train, and drift against them works', () => {
    const dir = tempDir('gl-cli-big-');
    const file = csv(dir, 'big.csv', ['kwh', 'big'], (i, j) => (j === 0 ? String((i * 7) % 11) : `${((i * 37) % 19) - 9}e298`));
    const registry = join(dir, 'reg');
    const r = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', file, '--json'], {
      GREENLENS_CONFIG_DIR: join(dir, 'config'),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const show = runCli(['versions', 'show', '--registry', registry, '--version', '1.0.0', '--json'], {
      GREENLENS_CONFIG_DIR: join(dir, 'config'),
    });
    expect(show.code).toBe(0);
    const drift = runCli(['drift', '--registry', registry, '--current', file, '--json'], { GREENLENS_CONFIG_DIR: join(dir, 'config') });
    expect(drift.stderr).toBe('');
    const big = (JSON.parse(drift.stdout) as { features: { name: string; drifted: boolean }[] }).features.find((f) => f.name === 'big');
    expect(big).toMatchObject({ drifted: false });
  });
});
