import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliArgv, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/backend';

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The CLI prints progress only where a person watches: on a terminal, one line
 * per phase. `script` (util-linux) gives the CLI a pseudo-terminal; stdout and
 * stderr both land in it. Without a terminal (runCli's pipes) nothing is printed.
 */
describe.skipIf(!existsSync('/usr/bin/script'))('CLI progress on a terminal (issue 9.16)', () => {
  it('train on a pseudo-terminal prints each phase up to 100 %; through pipes it prints none', () => {
    const dir = tempDir('gl-cli-tty-');
    const csv = join(dir, 'd.csv');
    expect(runCli(['simulate', '--out', csv, '--buildings', '4', '--days', '30']).code).toBe(0);
    const cmd = [process.execPath, ...cliArgv(), 'train', '--algorithm', 'isolation-forest', '--registry', join(dir, 'reg'), '--data', csv]
      .map(quote)
      .join(' ');
    const r = spawnSync('/usr/bin/script', ['-qfec', cmd, '/dev/null'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, TERM: 'dumb' },
    });
    expect(r.status).toBe(0);
    const lines = r.stdout.split(/[\r\n]+/).map((l) => l.replaceAll(`${String.fromCharCode(27)}[K`, '').trim());
    for (const phase of ['preparing', 'training', 'evaluating']) expect(lines, phase).toContain(`${phase}: 100%`);
    expect(
      lines.some((l) => /^training: [1-9]\d?%$/.test(l)),
      'intermediate training percent',
    ).toBe(true);

    const piped = runCli(['train', '--algorithm', 'isolation-forest', '--registry', join(dir, 'reg'), '--data', csv, '--json']);
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toMatch(/%/);
    expect(() => JSON.parse(piped.stdout)).not.toThrow();
  });
});
