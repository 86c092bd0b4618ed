import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AbArmReport, AbReport, AbRun, Arm } from '../../src-main/contract/shared/ab';
import type { ScoreResult } from '../../src-main/contract/shared/model';
import { armOf } from '../../src-main/core/loop/ab';
import { PredictionLog } from '../../src-main/core/monitoring';
import { tempDir } from '../helpers/backend';
import { runCli, type CliResult } from '../helpers/cli';

/**
 * `greenlens ab` end to end: a 1.0.0 production forest and a 1.0.1 challenger
 * that flags more (contamination 5 %), 20 buildings × 10 days.
 */
let dir: string;
let csv: string;
let registry: string;
const SALT = 'energy-anomaly/production/1.0.1';

const ok = (r: CliResult): CliResult => {
  expect(r.stderr.split('\n').filter((l) => !l.startsWith('Read ') && l !== '')).toEqual([]);
  expect(r.code).toBe(0);
  return r;
};
const json = <T>(args: string[]): T => JSON.parse(ok(runCli([...args, '--json'])).stdout) as T;
type Scored = Pick<ScoreResult, 'ab' | 'anomalies' | 'version' | 'logged'>;
const score = (out: string, ...more: string[]): Scored =>
  json<Scored>(['score', '--registry', registry, '--data', csv, '--out', out, ...more]);
const arms = (r: AbReport): Record<Arm, AbArmReport> => Object.fromEntries(r.arms.map((a) => [a.arm, a])) as Record<Arm, AbArmReport>;
const lines = (file: string): string[] => readFileSync(file, 'utf8').trimEnd().split('\n');

beforeAll(() => {
  dir = tempDir('gl-cli-ab-');
  csv = join(dir, 'sim.csv');
  registry = join(dir, 'registry');
  ok(runCli(['simulate', '--out', csv, '--buildings', '20', '--days', '10', '--seed', '4', '--anomaly-rate', '0.03']));
  const train = ['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--trees', '40'];
  ok(runCli([...train, '--contamination', '0.01', '--seed', '1', '--alias', 'production']));
  ok(runCli([...train, '--contamination', '0.05', '--seed', '2']));
}, 600_000);

describe('greenlens ab', () => {
  it('A/B by building: each building is decided by its arm, the same one in every run, and the report counts both arms', () => {
    const started = json<{ run: AbRun }>([
      'ab',
      'start',
      '--registry',
      registry,
      '--challenger',
      '1.0.1',
      '--share',
      '0.3',
      '--by',
      'building',
    ]);
    expect(started.run).toMatchObject({ mode: 'ab', challenger: '1.0.1', champion: '1.0.0', share: 0.3, by: 'building', stoppedAt: null });

    // A version named explicitly is not the alias: no routing. These are each version's own outputs.
    const champ = join(dir, 'champion.csv');
    const chall = join(dir, 'challenger.csv');
    expect(score(champ, '--version', '1.0.0', '--no-log').ab).toBeUndefined();
    score(chall, '--version', '1.0.1', '--no-log');

    const out1 = join(dir, 'ab1.csv');
    const r1 = score(out1);
    const input = lines(csv);
    const idCol = input[0]!.split(',').indexOf('building_id');
    const armOfRow = input.slice(1).map((l) => armOf(l.split(',')[idCol]!, 0.3, SALT));
    const nChallenger = armOfRow.filter((a) => a === 'challenger').length;
    expect(nChallenger).toBeGreaterThan(0);
    expect(nChallenger).toBeLessThan(armOfRow.length);
    expect(r1.ab).toEqual({ mode: 'ab', runId: started.run.id, challenger: '1.0.1', challengerReadings: nChallenger });
    expect(r1.version).toBe('1.0.0');

    // Row by row, the output is the deciding arm's own output.
    const [c, p, o] = [lines(chall), lines(champ), lines(out1)];
    expect(o[0]).toBe(p[0]);
    armOfRow.forEach((arm, i) => expect(o[i + 1], `row ${i + 1}`).toBe(arm === 'challenger' ? c[i + 1] : p[i + 1]));
    const flagged = o.slice(1).filter((l) => l.endsWith(',1')).length;
    expect(r1.anomalies).toBe(flagged);

    // Same keys, same arms: a second run writes the same bytes.
    const out2 = join(dir, 'ab2.csv');
    score(out2);
    expect(readFileSync(out2, 'utf8')).toBe(readFileSync(out1, 'utf8'));

    const report = json<AbReport>(['ab', 'report', '--registry', registry]);
    expect(report.run.id).toBe(started.run.id);
    const arm = arms(report);
    expect(arm.champion.readings).toBe(2 * (armOfRow.length - nChallenger));
    expect(arm.challenger.readings).toBe(2 * nChallenger);
    expect(arm.champion.versions).toEqual(['1.0.0']);
    expect(arm.challenger.versions).toEqual(['1.0.1']);
    expect(arm.challenger.flagged).toBe(2 * c.slice(1).filter((l, i) => armOfRow[i] === 'challenger' && l.endsWith(',1')).length);
    expect(arm.shadow.readings).toBe(0);
    // The simulator labels every reading: both arms get an F1 interval.
    expect(arm.champion.labelled).toBe(arm.champion.readings);
    expect(arm.challenger.f1!.low).toBeLessThanOrEqual(arm.challenger.f1!.value);
    expect(typeof report.verdict.message).toBe('string');
    if (report.verdict.test) expect(report.verdict.test.pValue).toBeGreaterThanOrEqual(0);
    else expect(report.verdict.message).toMatch(/^Sample too small to decide/);

    const text = ok(runCli(['ab', 'report', '--registry', registry])).stdout;
    expect(text).toContain(`challenger (1.0.1): ${(2 * nChallenger).toLocaleString('en-US')} readings`);
    expect(text).toContain(report.verdict.message);

    // One run per alias at a time.
    const again = runCli(['ab', 'start', '--registry', registry, '--challenger', '1.0.1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('energy-anomaly production already has an active A/B run (challenger 1.0.1');

    const stopped = json<{ run: AbRun }>(['ab', 'stop', '--registry', registry]);
    expect(stopped.run.stoppedAt).not.toBeNull();
    // Stopped: the alias scores alone again.
    const after = join(dir, 'after.csv');
    expect(score(after).ab).toBeUndefined();
    expect(readFileSync(after, 'utf8')).toBe(readFileSync(champ, 'utf8'));
  }, 600_000);

  it('shadow: the output stays byte-identical, every reading is logged for the shadow too, and the report gives agreement', async () => {
    const base = join(dir, 'base-shadow.csv');
    score(base, '--no-log');
    const started = json<{ run: AbRun }>(['ab', 'shadow', '--registry', registry, '--challenger', '1.0.1', '--reason', 'try 5 %']);
    expect(started.run).toMatchObject({ mode: 'shadow', share: 0, reason: 'try 5 %' });
    const out = join(dir, 'shadow.csv');
    const r = score(out);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(base, 'utf8'));
    const rows = lines(csv).length - 1;
    expect(r.ab).toMatchObject({ mode: 'shadow', challenger: '1.0.1', challengerReadings: rows });
    expect(r.logged).toBe(rows);

    const report = json<AbReport>(['ab', 'report', '--registry', registry]);
    const arm = arms(report);
    expect([arm.champion.readings, arm.challenger.readings, arm.shadow.readings]).toEqual([rows, 0, rows]);
    expect(report.shadow!.matched).toBe(rows);
    // The challenger flags about 5 % where the champion flags about 1 %: most of its flags are new.
    expect(report.shadow!.jaccard).toBeGreaterThan(0);
    expect(report.shadow!.jaccard).toBeLessThan(0.5);
    // A reading changes when exactly one side flags it: at least the difference of the flag counts.
    expect(report.shadow!.flagsChanged).toBeGreaterThanOrEqual(Math.abs(arm.shadow.flagged - arm.champion.flagged));
    expect(report.verdict.message).toMatch(/^Shadow decided nothing: on [\d,]+ shared readings/);

    // Monitoring counts what decided: the shadow's predictions are not in the model's figures.
    const log = await PredictionLog.open(join(registry, 'predictions'));
    const since = Date.parse(started.run.startedAt);
    const decided = await log.readRange(since, Infinity, { columns: [] });
    const all = await log.readRange(since, Infinity, { columns: [], shadow: true });
    await log.close();
    expect([decided.length, decided.arm.every((a) => a === 0)]).toEqual([rows, true]);
    expect(all.length).toBe(2 * rows);
    ok(runCli(['ab', 'stop', '--registry', registry]));
    const list = json<{ runs: AbRun[] }>(['ab', 'list', '--registry', registry]);
    expect(list.runs.map((x) => [x.mode, x.stoppedAt !== null])).toEqual([
      ['shadow', true],
      ['ab', true],
    ]);
  }, 600_000);

  it('validates its flags through the schema and names what is wrong', () => {
    const bad = (args: string[]): string => {
      const r = runCli(['ab', ...args, '--registry', registry]);
      expect(r.code).toBe(2);
      return r.stderr.split('\n')[0]!;
    };
    expect(bad(['start', '--challenger', '1.0.1', '--share', '0.9'])).toBe('greenlens ab: --share must be a number in (0, 0.5], got 0.9.');
    expect(bad(['start', '--challenger', '1.0.1', '--by', 'floor'])).toBe(
      'greenlens ab: --by must be one of building, reading, got "floor".',
    );
    expect(bad(['start', '--challenger', 'latest'])).toMatch(/^greenlens ab: --challenger must be/);
    expect(bad(['shadow', '--challenger', '1.0.1', '--share', '0.2'])).toBe(
      'greenlens ab: --share and --by are for ab start: a shadow scores every reading.',
    );
    expect(bad(['begin'])).toBe('greenlens ab: expected one of start, shadow, stop, list, report, got "begin".');
    const none = runCli(['ab', 'stop', '--registry', registry]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('energy-anomaly production has no active A/B or shadow run.');
    const same = runCli(['ab', 'start', '--registry', registry, '--challenger', '1.0.0']);
    expect(same.stderr).toContain('energy-anomaly 1.0.0 is already production: pick another version as the challenger.');
  }, 600_000);

  it('registry verify checks ab.json', () => {
    expect(runCli(['registry', 'verify', registry]).code).toBe(0);
    const file = join(registry, 'ab.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('"mode": "ab"', '"mode": "split"'));
    const r = runCli(['registry', 'verify', registry]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/ab\.json: runs\.\d\.mode: Invalid option: expected one of "ab"\|"shadow"/);
    writeFileSync(file, good);
  }, 300_000);

  it("registry merge-log keeps each request's arm, shadow included", async () => {
    const worker = join(dir, 'worker');
    const log = await PredictionLog.open(join(worker, 'predictions'));
    const batch = (k: number, version: string, arm: Arm) => ({
      model: 'energy-anomaly',
      version,
      features: ['total_kw'],
      requestId: `r${k}`,
      time: 1_700_000_000_000 + k,
      latencyMs: 1,
      scores: Float64Array.of(0.4, 0.6),
      flags: Uint8Array.of(0, 1),
      values: [Float64Array.of(10, 20)],
      arm,
    });
    await log.appendMany([batch(1, '1.0.0', 'champion'), batch(2, '1.0.1', 'challenger'), batch(3, '1.0.1', 'shadow')]);
    await log.close();
    const target = join(dir, 'merged');
    ok(runCli(['registry', 'init', target]));
    ok(runCli(['registry', 'merge-log', '--registry', target, '--from', worker]));
    const merged = await PredictionLog.open(join(target, 'predictions'));
    const all = await merged.readRange(-Infinity, Infinity, { columns: [], shadow: true });
    await merged.close();
    expect([...all.requests.arm]).toEqual([0, 1, 2]);
    expect(all.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
  }, 300_000);
});
