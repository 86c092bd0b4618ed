import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationStatus } from '../../../src-main/contract/shared/loop';
import type { GreenLensEvent } from '../../../src-main/contract';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import { AppAutomation } from '../../../src-main/backend/loop/app-watch';
import { createState } from '../../../src-main/backend/state';
import { readWatchState, writeWatchState } from '../../../src-main/core/loop/watch-state';
import { readJobs } from '../../../src-main/core/loop/jobs';
import { tempDir } from '../../helpers/backend';
import { loopBackend } from './loop-backend';
import { monthRows, simulatedYear } from './year-months';

// Issue 12 item 5 in the app: the worker runs the policy's watched folders while a registry is open.
let root = '';
let reg = '';
let other = '';
let inbox = '';
const months: Record<number, string> = {};
const opened: AppAutomation[] = [];

beforeAll(async () => {
  root = tempDir('gl-app-watch-');
  reg = join(root, 'reg');
  other = join(root, 'other');
  inbox = join(root, 'inbox');
  mkdirSync(inbox);
  const year = simulatedYear(2, 5);
  const ctx = createJobContext({ jobId: 'a', op: 'a' });
  for (const m of [1, 3, 4, 5, 6, 7]) {
    months[m] = join(root, `m${m}.csv`);
    await writeCsvAtomic(months[m], monthRows(year, [m]), ctx);
  }
  const b = loopBackend(reg);
  const ds = await b.run('data.import', { path: months[1]!, keep: false });
  await b.run('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', alias: 'production', trees: 20 });
  // Retraining off: these tests are about when files are processed, not what the policy decides.
  writeFileSync(join(reg, 'policy.json'), JSON.stringify({ retrain: { onDrift: false }, folders: [{ path: inbox }] }));
  const o = loopBackend(other);
  const ods = await o.run('data.import', { path: months[1]!, keep: false });
  await o.run('model.train', { datasetId: ods.id, algorithm: 'isolation-forest', alias: 'production', trees: 20 });
}, 300_000);

afterEach(async () => {
  for (const a of opened.splice(0)) await a.close();
});

/** An app session on `registry`: its backend state and its watcher, with the events it sent. */
function openApp(registry: string) {
  const state = createState({ registryPath: registry, lazyDatasetViews: true });
  const events: GreenLensEvent[] = [];
  const automation = new AppAutomation(state, { emit: (e) => events.push(e), throttleMs: 0, settleMs: 200, pollMs: 60_000 });
  opened.push(automation);
  return { state, automation, events };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statusOf = async (name: string) => (await readWatchState(reg)).folders[inbox]?.[name]?.status;
const fileJobs = async (name: string) => (await readJobs(reg)).jobs.filter((j) => j.kind === 'watch-file' && j.file === join(inbox, name));

describe('watching inside the app', () => {
  it('catches up once on open for files that arrived while it was closed, then processes a dropped file once', async () => {
    copyFileSync(months[3]!, join(inbox, '2025-03.csv'));
    copyFileSync(months[4]!, join(inbox, '2025-04.csv'));
    const app = openApp(reg);
    await app.automation.sync();
    expect(app.automation.status()).toMatchObject({ registry: reg, state: 'watching', folders: [inbox] });
    await until('the catch-up pass', async () => (await statusOf('2025-03.csv')) === 'done' && (await statusOf('2025-04.csv')) === 'done');
    // Dropped while open: fs.watch starts a pass without any call.
    copyFileSync(months[5]!, join(inbox, '2025-05.csv'));
    await until('the dropped file', async () => (await statusOf('2025-05.csv')) === 'done');
    await until('the pass to end', async () => app.automation.status().running === null);
    for (const name of ['2025-03.csv', '2025-04.csv', '2025-05.csv']) {
      expect((await fileJobs(name)).map((j) => j.status)).toEqual(['succeeded']);
    }
    // The log holds each file's readings once: 2 buildings × (31 + 30 + 31) days × 24 h.
    expect((await loopBackend(reg).run('monitoring.logStats', {})).records).toBe(2 * 24 * (31 + 30 + 31));
    const statuses = app.events.filter((e): e is { type: 'automation'; status: AutomationStatus } => e.type === 'automation');
    expect(statuses.some((e) => e.status.running?.folder === inbox)).toBe(true);
    expect(app.events.some((e) => e.type === 'changed' && e.topic === 'jobs')).toBe(true);
    expect(app.automation.status().lastPass).toMatchObject({ folder: inbox, cancelled: false });
  }, 300_000);

  it('a second app session on the same registry processes nothing again', async () => {
    const app = openApp(reg);
    await app.automation.sync();
    await until('the catch-up pass', async () => app.automation.status().lastPass);
    expect(app.automation.status().lastPass).toMatchObject({ processed: 0, failed: 0, pending: 0 });
  }, 120_000);

  it('switching the registry stops watching the old one; pausing stops it too', async () => {
    const app = openApp(reg);
    await app.automation.sync();
    await until('the catch-up pass', async () => app.automation.status().lastPass);
    app.state.registryPath = other;
    await app.automation.sync();
    expect(app.automation.status()).toMatchObject({ registry: other, state: 'idle', folders: [] });
    copyFileSync(months[6]!, join(inbox, '2025-06.csv'));
    await new Promise((r) => setTimeout(r, 2000));
    expect(await statusOf('2025-06.csv')).toBeUndefined();
    // Back on the registry: the catch-up pass takes the file that arrived meanwhile.
    app.state.registryPath = reg;
    await app.automation.sync();
    await until('the catch-up after switching back', async () => (await statusOf('2025-06.csv')) === 'done');
    await until('the pass to end', async () => app.automation.status().running === null);
    app.state.settings = { ...app.state.settings, automationPaused: true };
    await app.automation.sync();
    expect(app.automation.status().state).toBe('paused');
    copyFileSync(months[7]!, join(inbox, '2025-07.csv'));
    await new Promise((r) => setTimeout(r, 2000));
    expect(await statusOf('2025-07.csv')).toBeUndefined();
  }, 300_000);

  it('a file another live process has started is left to it, and taken over once that process is gone', async () => {
    // 2025-07.csv is waiting (the last test paused before it was taken). Mark it started by a live process.
    const sleeper = spawn('sleep', ['60']);
    const ws = await readWatchState(reg);
    ws.folders[inbox] = {
      ...ws.folders[inbox],
      '2025-07.csv': {
        status: 'started',
        size: 1,
        mtimeMs: 1,
        requestId: 'watch-other-process',
        jobId: 'job-other',
        champion: '1.0.0',
        startedAt: new Date().toISOString(),
        endedAt: null,
        pid: sleeper.pid!,
      },
    };
    await writeWatchState(reg, ws);
    const app = openApp(reg);
    await app.automation.sync();
    await until('the catch-up pass', async () => app.automation.status().lastPass);
    expect(app.automation.status().lastPass).toMatchObject({ processed: 0 });
    expect(await statusOf('2025-07.csv')).toBe('started');
    const gone = new Promise((r) => sleeper.on('exit', r));
    sleeper.kill('SIGKILL');
    await gone;
    await app.automation.close();
    const again = openApp(reg);
    await again.automation.sync();
    await until('the take-over', async () => (await statusOf('2025-07.csv')) === 'done');
    expect((await readWatchState(reg)).folders[inbox]!['2025-07.csv']!.pid).toBe(process.pid);
  }, 300_000);
});
