import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';
import { buildFixtureRegistry } from '../backend/registry-fixture';

/** One registry per file: the steps below build on each other like a person's session. */
let reg: string;
beforeAll(async () => {
  reg = join(tempDir('gl-cli-versions-'), 'registry');
  await buildFixtureRegistry(reg);
});

const json = (args: string[]) => {
  const r = runCli([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('greenlens versions', () => {
  it('list: JSON with model, aliases and versions; a readable table otherwise', () => {
    const list = json(['versions', 'list', '--registry', reg]);
    expect(list).toMatchObject({ registry: reg, model: 'energy-anomaly', aliases: {} });
    expect(list.versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2']);
    const human = runCli(['versions', 'list', '--registry', reg]);
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[1]).toMatch(
      /^VERSION\s+CREATED\s+ALIASES\s+trees\s+sampleSize\s+contamination\s+rocAuc\s+f1\s+anomalyRate\s+trainingMs\s+ROWS$/,
    );
    expect(lines[3]).toMatch(/^1\.0\.0\s.*\s100\s+256\s+auto\s+0\.861\s+0\.512\s+0\.012\s+410\s+2,016$/);
  });

  it('show and compare (positional or --a/--b)', () => {
    const shown = json(['versions', 'show', '--registry', reg, '--version', '1.0.0']);
    expect(shown).toMatchObject({ version: '1.0.0', tags: ['baseline'], params: { trees: 100 } });
    const byPos = json(['versions', 'compare', '--registry', reg, '1.0.0', '1.0.1']);
    const byFlag = json(['versions', 'compare', '--registry', reg, '--a', '1.0.0', '--b', '1.0.1']);
    expect(byFlag).toEqual(byPos);
    // The fixture versions were trained on different data: AUC is shown, labelled, and not called better.
    expect(byPos.metrics.find((m: { name: string }) => m.name === 'rocAuc')).toMatchObject({
      a: 0.861,
      b: 0.902,
      better: null,
      caveat: 'measured on different holdouts',
    });
    expect(byPos.evaluation.same).toBe(false);
    const human = runCli(['versions', 'compare', '--registry', reg, '1.0.1', '1.0.0']);
    expect(human.stdout).toMatch(/rocAuc\s+0\.902\s+0\.861\s+−0\.041\s+↓ lower \(measured on different holdouts\)/);
    expect(human.stdout).toContain('Different evaluation data: quality metrics are not called better or worse.');
    expect(human.stdout).toMatch(/trees\s+200\s+100/);
  });

  it('promote, promote, rollback: the alias ends where it was, the history has three events', () => {
    expect(json(['versions', 'promote', '--registry', reg, '--version', '1.0.1', '--reason', 'best AUC']).event).toMatchObject({
      from: null,
      to: '1.0.1',
    });
    const human = runCli([
      'versions',
      'promote',
      '--registry',
      reg,
      '--version',
      '1.0.2',
      '--alias',
      'production',
      '--reason',
      'better F1',
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('production: 1.0.1 → 1.0.2');
    const back = json(['versions', 'rollback', '--registry', reg, '--reason', 'false alarms']);
    expect(back.event).toMatchObject({ action: 'rollback', from: '1.0.2', to: '1.0.1' });
    expect(json(['versions', 'list', '--registry', reg]).aliases).toEqual({ production: '1.0.1' });
    const history = json(['versions', 'history', '--registry', reg]);
    expect(history.events.map((e: { action: string }) => e.action)).toEqual(['promote', 'promote', 'rollback']);
  });

  it('tag: add, remove and description', () => {
    const tagged = json([
      'versions',
      'tag',
      '--registry',
      reg,
      '--version',
      '1.0.2',
      '--add',
      'candidate',
      '--add',
      'summer',
      '--description',
      'Bigger subsample',
    ]);
    expect(tagged).toMatchObject({ tags: ['candidate', 'summer'], description: 'Bigger subsample' });
    expect(json(['versions', 'tag', '--registry', reg, '--version', '1.0.2', '--remove', 'summer']).tags).toEqual(['candidate']);
  });

  it('exit 2 for bad usage, naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['versions', 'promote', '--registry', reg, '--version', '1.0.0'], /--reason is required/],
      [['versions', 'promote', '--registry', reg, '--version', '1.0', '--reason', 'x'], /--version must be a semantic version.*"1\.0"/],
      [['versions', 'show', '--registry', reg], /--version is required/],
      [['versions', 'compare', '--registry', reg, '1.0.0'], /--b is required/],
      [['versions', 'rollback', '--registry', reg, '--reason', 'x', '--alias', 'Prod/Main'], /--alias/],
      [['versions', 'tag', '--registry', reg, '--version', '1.0.0'], /--add TAG, --remove TAG or --description/],
      [['versions', 'frobnicate', '--registry', reg], /unknown subcommand "frobnicate"/],
      [['versions'], /say what to do/],
      [['versions', 'list', '--registry', reg, '--colour', 'red'], /--colour/],
    ];
    for (const [args, message] of cases) {
      const r = runCli([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });

  it('exit 1 for failures: unknown version, nothing to roll back, missing registry', () => {
    const missing = runCli(['versions', 'show', '--registry', reg, '--version', '9.9.9', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/9\.9\.9/);
    const noStaging = runCli(['versions', 'rollback', '--registry', reg, '--alias', 'staging', '--reason', 'x']);
    expect(noStaging.code).toBe(1);
    expect(noStaging.stderr).toMatch(/staging/);
    const noRegistry = runCli(['versions', 'list', '--registry', join(reg, 'nope')]);
    expect(noRegistry.code).toBe(1);
    expect(noRegistry.stderr).toContain(join(reg, 'nope'));
  });
});
