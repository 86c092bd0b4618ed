import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { registryWithRateRule, runCli } from '../helpers/cli';

/** `greenlens alerts …` and `greenlens feedback …` on a registry where a CLI score opened an alert. */
let dir: string;
let registry: string;
const env = (): Record<string, string> => ({ GREENLENS_CONFIG_DIR: join(dir, 'config'), GREENLENS_DATA_DIR: dir });
const json = (args: string[]): unknown => {
  const r = runCli([...args, '--json'], env());
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(() => {
  dir = tempDir('gl-cli-alerts-');
  registry = join(dir, 'registry');
  const csv = registryWithRateRule(dir, registry, env());

  expect(runCli(['score', '--registry', registry, '--data', csv], env()).code).toBe(0);
}, 120_000);

describe('greenlens alerts', () => {
  it('list shows the alert a CLI score opened; --status open filters; human output is a table', () => {
    const list = json(['alerts', 'list', '--registry', registry, '--status', 'open']) as {
      alerts: { id: string; rule: string }[];
      open: number;
    };
    expect(list.open).toBe(1);
    expect(list.alerts.map((a) => [a.id, a.rule])).toEqual([['A1', 'rate']]);
    const human = runCli(['alerts', 'list', '--registry', registry], env());
    expect(human.stdout).toMatch(/^Id +Status +Severity/);
    expect(human.stdout).toMatch(/A1 +open +critical/);
    expect(human.stdout).toMatch(/1 open, 1 not acknowledged\./);
  });

  it('ack ID --note records the note; list shows it', () => {
    const a = json(['alerts', 'ack', 'A1', '--registry', registry, '--note', 'meter swap on Tuesday']) as { ack: { note: string } };
    expect(a.ack.note).toBe('meter swap on Tuesday');
    const list = json(['alerts', 'list', '--registry', registry]) as { unacknowledged: number };
    expect(list.unacknowledged).toBe(0);
  });

  it('rules prints the rules file (defaults filled in) and the hooks; bad usage exits 2 with a message', () => {
    const r = json(['alerts', 'rules', '--registry', registry]) as {
      rules: { id: string; cooldownMs: number; enabled: boolean }[];
      hooks: unknown[];
    };
    expect(r.rules).toEqual([expect.objectContaining({ id: 'rate', cooldownMs: 3_600_000, enabled: true, minDurationMs: 0 })]);
    expect(r.hooks).toEqual([]);
    const bad = runCli(['alerts', 'list', '--registry', registry, '--status', 'closed'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--status must be open or all, got "closed"\./);
    const noId = runCli(['alerts', 'ack', '--registry', registry], env());
    expect(noId.code).toBe(2);
    const unknown = runCli(['alerts', 'ack', 'A42', '--registry', registry], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No alert A42 in alerts\/events\.ndjson\./);
  });
});

describe('greenlens feedback', () => {
  it('mark (single and from a CSV, faults and false alarms), list, and the precision of the reviewed flags', () => {
    const one = json([
      'feedback',
      'mark',
      '--registry',
      registry,
      '--version',
      '1.0.0',
      '--fault',
      'hvac_fault',
      '--reading',
      'B001@2024-01-03T10:00:00Z',
      '--reading',
      'B002@2024-01-04T11:00:00Z',
    ]) as { marked: number; summary: { confirmed: number; precision: number } };
    expect(one).toMatchObject({ marked: 2, summary: { confirmed: 2, falseAlarms: 0, precision: 1 } });
    const file = join(dir, 'false-alarms.csv');
    writeFileSync(file, 'building,time\nB001,2024-01-05T12:00:00Z\nB001,2024-01-03T10:00:00Z\n');
    // The second line overrides the fault given above: the latest verdict per reading wins.
    const bulk = json(['feedback', 'mark', '--registry', registry, '--version', '1.0.0', '--false-alarm', '--readings', file]) as {
      summary: { reviewed: number; confirmed: number; falseAlarms: number; precision: number; byFaultType: Record<string, number> };
    };
    expect(bulk.summary).toEqual({ reviewed: 3, confirmed: 1, falseAlarms: 2, precision: 1 / 3, byFaultType: { hvac_fault: 1 } });
    const list = json(['feedback', 'list', '--registry', registry]) as {
      records: { building: string; dataTime: number; verdict: string }[];
    };
    expect(list.records.map((r) => `${r.building}@${new Date(r.dataTime).toISOString()}=${r.verdict}`).sort()).toEqual([
      'B001@2024-01-03T10:00:00.000Z=false_alarm',
      'B001@2024-01-05T12:00:00.000Z=false_alarm',
      'B002@2024-01-04T11:00:00.000Z=fault',
    ]);
  });

  it('refuses a fault type outside the simulator set, both verdicts at once, and a reading without a time', () => {
    const badType = runCli(
      ['feedback', 'mark', '--registry', registry, '--version', '1.0.0', '--fault', 'gremlins', '--reading', '@0'],
      env(),
    );
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/--fault/);
    const both = runCli(
      ['feedback', 'mark', '--registry', registry, '--version', '1.0.0', '--fault', 'spike', '--false-alarm', '--reading', '@0'],
      env(),
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/Give one of --fault TYPE or --false-alarm\./);
    const noTime = runCli(
      ['feedback', 'mark', '--registry', registry, '--version', '1.0.0', '--false-alarm', '--reading', 'B001@yesterday'],
      env(),
    );
    expect(noTime.code).toBe(2);
    expect(noTime.stderr).toMatch(/--reading: "B001@yesterday" has no valid time/);
  });
});
