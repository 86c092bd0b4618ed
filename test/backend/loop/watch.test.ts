import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import { readWatchState } from '../../../src-main/core/loop/watch-state';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/backend';
import { loopBackend } from './loop-backend';
import { monthRows, simulatedYear, writeMonths } from './year-months';

// Issue 12 item 5: one watch pass over a folder — each file once, bad files recorded, growing files left for later.
let root = '';
let reg = '';
let inbox = '';
let b: ReturnType<typeof loopBackend>;

beforeAll(async () => {
  root = tempDir('gl-watch-');
  reg = join(root, 'reg');
  inbox = join(root, 'inbox');
  const year = simulatedYear(4, 3);
  const winter = join(root, 'winter.csv');
  await writeCsvAtomic(winter, monthRows(year, [1, 2]), createJobContext({ jobId: 'w', op: 'w' }));
  b = loopBackend(reg);
  const ds = await b.run('data.import', { path: winter, keep: false });
  await b.run('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', alias: 'production', trees: 50 });
  await writeMonths(year, inbox, [3, 7]);
  writeFileSync(join(inbox, '2025-05.csv'), 'timestamp,building_id,total_kw\n2025-05-01T00:00:00Z,B01,not-a-number\n');
  writeFileSync(join(inbox, 'notes.txt'), 'not a data file');
  writeFileSync(join(root, 'policy.json'), '{ "retrain": { "onDrift": true }, "promote": { "auto": true } }');
});

describe('greenlens watch --once', () => {
  it('prints one JSON object: every new file scored, drift, health and the actions; a bad file is recorded and the rest go on', () => {
    const r = runCli([
      'watch',
      '--registry',
      reg,
      '--folder',
      inbox,
      '--policy',
      join(root, 'policy.json'),
      '--once',
      '--json',
      '--settle',
      '0',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      processed: {
        file: string;
        rows: number;
        anomalies: number;
        drift: { datasetDrift: boolean; drifted: string[] };
        health: string;
        actions: { type: string; version: string; reason: string }[];
      }[];
      failed: { file: string; error: string }[];
      pending: string[];
    };
    expect(Object.keys(out)).toEqual(['processed', 'failed', 'pending']);
    expect(out.processed.map((p) => p.file)).toEqual([join(inbox, '2025-03.csv'), join(inbox, '2025-07.csv')]);
    for (const p of out.processed) {
      expect(Object.keys(p)).toEqual(['file', 'rows', 'anomalies', 'drift', 'health', 'actions']);
      expect(Object.keys(p.drift)).toEqual(['datasetDrift', 'drifted']);
      expect(['healthy', 'warning', 'critical']).toContain(p.health);
      for (const a of p.actions) expect(Object.keys(a)).toEqual(['type', 'version', 'reason']);
    }
    expect(out.processed[0]!.rows).toBe(4 * 31 * 24);
    // July against a January–February model: summer drift, a challenger is trained and evaluated.
    const july = out.processed[1]!;
    expect(july.drift.datasetDrift).toBe(true);
    expect(july.drift.drifted).toContain('outdoor_temp_c');
    expect(july.actions.map((a) => a.type).slice(0, 2)).toEqual(['retrain', 'evaluate']);
    expect(['promote', 'keep']).toContain(july.actions[2]!.type);
    expect(out.failed).toEqual([{ file: join(inbox, '2025-05.csv'), error: expect.stringMatching(/2025-05\.csv/) }]);
    expect(out.pending).toEqual([]);
  });

  it('a second pass processes nothing again (state in the registry); the log holds each file once', async () => {
    const before = await b.run('monitoring.logStats', {});
    const again = await b.run('watch.run', { folder: inbox, settleMs: 0 });
    expect(again).toEqual({ processed: [], failed: [], pending: [] });
    expect((await b.run('monitoring.logStats', {})).records).toBe(before.records);
    expect(before.records).toBe(4 * 24 * (31 + 31));
    const state = await readWatchState(reg);
    expect(Object.fromEntries(Object.entries(state.folders[inbox]!).map(([k, v]) => [k, v.status]))).toEqual({
      '2025-03.csv': 'done',
      '2025-05.csv': 'failed',
      '2025-07.csv': 'done',
    });
  });

  it('a file still growing is left pending, then processed once it stops', async () => {
    const growing = join(inbox, '2025-09.csv');
    const src = readFileSync(join(inbox, '2025-03.csv'), 'utf8').split('\n');
    writeFileSync(growing, src.slice(0, 50).join('\n') + '\n');
    let next = 50;
    const timer = setInterval(() => {
      if (next < 300) appendFileSync(growing, src.slice(next, (next += 50)).join('\n') + '\n');
    }, 100);
    const first = await b.run('watch.run', { folder: inbox, settleMs: 400 });
    clearInterval(timer);
    // The copy finishes: the rest of the 300 lines (a header and 299 readings).
    appendFileSync(growing, src.slice(next, 300).join('\n') + '\n');
    expect(first.pending).toEqual([growing]);
    expect(first.processed).toEqual([]);
    await new Promise((r) => setTimeout(r, 450));
    const second = await b.run('watch.run', { folder: inbox, settleMs: 400 });
    expect(second.processed.map((p) => [p.file, p.rows])).toEqual([[growing, 299]]);
  });

  it('jobs list shows the job of each file; registry verify passes with the new files', () => {
    const jobs = runCli(['jobs', 'list', '--registry', reg, '--json']);
    expect(jobs.code).toBe(0);
    const list = (JSON.parse(jobs.stdout) as { jobs: { kind: string; status: string; file: string | null }[] }).jobs;
    const files = list.filter((j) => j.kind === 'watch-file');
    expect(files.map((j) => [j.file?.slice(-11), j.status]).sort()).toEqual([
      ['2025-03.csv', 'succeeded'],
      ['2025-05.csv', 'failed'],
      ['2025-07.csv', 'succeeded'],
      ['2025-09.csv', 'succeeded'],
    ]);
    expect(existsSync(join(reg, 'watch', 'state.json'))).toBe(true);
    const verify = runCli(['registry', 'verify', reg, '--json']);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  });

  it('a missing folder is an error naming it', async () => {
    mkdirSync(join(root, 'empty'));
    const r = runCli(['watch', '--registry', reg, '--folder', join(root, 'nope'), '--once']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Cannot read the watched folder ${join(root, 'nope')}`);
  });
});
