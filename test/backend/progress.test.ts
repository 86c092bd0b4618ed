import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerHost } from '../../src-main/backend/host/worker-host';
import { DEFAULT_SETTINGS } from '../../src-main/contract/settings';
import { tempDir } from '../helpers/backend';

/**
 * Progress must move (issue 9.16): every phase of a long job reports its own
 * done/total, monotone within the phase, with values between 0 and the total,
 * so no phase sits at 0 % or 100 % while work goes on. Reports are unthrottled
 * here so every report the job makes is seen.
 */
interface Report {
  phase: string;
  done: number;
  total: number;
}

let host: WorkerHost;
let datasetId: string;
const dir = tempDir('gl-progress-');

beforeAll(async () => {
  host = new WorkerHost({
    script: fileURLToPath(new URL('../../src-main/backend/worker-dev.mjs', import.meta.url)),
    scoreWorkerScript: fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url)),
    settings: DEFAULT_SETTINGS,
    registryPath: join(dir, 'registry'),
    tempDir: join(dir, 'tmp'),
    progressThrottleMs: 0,
  });
  // 20 buildings × 60 days = 28,800 hourly readings: large enough for several chunks per phase.
  const ds = (await host.call('data.simulate', { buildings: 20, days: 60, seed: 3 })) as { id: string; rows: number };
  expect(ds.rows).toBe(28_800);
  datasetId = ds.id;
});
afterAll(async () => {
  await host.close();
});

async function reportsOf(op: string, input: unknown): Promise<Report[]> {
  const reports: Report[] = [];
  await host.call(op, input, { onProgress: (phase: string, done: number, total: number) => reports.push({ phase, done, total }) });
  return reports;
}

/** Phases in the order they first appear; each checked for monotone progress with a fixed total. */
function phases(reports: Report[]): Map<string, Report[]> {
  const byPhase = new Map<string, Report[]>();
  let last = '';
  for (const r of reports) {
    if (r.phase !== last && byPhase.has(r.phase)) throw new Error(`phase "${r.phase}" came back after "${last}"`);
    last = r.phase;
    byPhase.set(r.phase, [...(byPhase.get(r.phase) ?? []), r]);
  }
  for (const [phase, list] of byPhase) {
    for (let i = 1; i < list.length; i++) {
      expect(list[i]!.done, `${phase}: done never goes back`).toBeGreaterThanOrEqual(list[i - 1]!.done);
      expect(list[i]!.total, `${phase}: one total per phase`).toBe(list[0]!.total);
    }
    expect(list[0]!.total, `${phase}: a total`).toBeGreaterThan(0);
    expect(list.at(-1)!.done, `${phase}: never past the total`).toBeLessThanOrEqual(list[0]!.total);
  }
  return byPhase;
}

function expectIntermediate(byPhase: Map<string, Report[]>, phase: string): void {
  const list = byPhase.get(phase);
  expect(list, `phase "${phase}" reported`).toBeDefined();
  const between = list!.filter((r) => r.done > 0 && r.done < r.total);
  expect(between.length, `phase "${phase}" has values between 0 and ${list![0]!.total}`).toBeGreaterThan(0);
}

describe('progress per phase (issue 9.16)', () => {
  it('training: preparing, training per tree, evaluating by rows, registering by steps', async () => {
    const byPhase = phases(await reportsOf('model.train', { algorithm: 'isolation-forest', datasetId, trees: 40, seed: 1 }));
    expect([...byPhase.keys()]).toEqual(['preparing', 'training', 'evaluating', 'registering']);
    expect(byPhase.get('training')![0]!.total).toBe(40);
    expect(byPhase.get('training')!.at(-1)!.done).toBe(40);
    for (const phase of byPhase.keys()) expectIntermediate(byPhase, phase);
    // Every phase ends at 100 %: registering used to stop at 2 of 3, before the version was written.
    for (const [phase, list] of byPhase) expect(list.at(-1)!.done, `${phase} ends at its total`).toBe(list[0]!.total);
  });

  it('import: reading by bytes, then preparing the dataset', async () => {
    const csv = join(dir, 'meters.csv');
    await host.call('data.exportCsv', { datasetId, path: csv });
    const byPhase = phases(await reportsOf('data.import', { path: csv }));
    // A kept dataset is then saved into the registry column by column.
    expect([...byPhase.keys()]).toEqual(['reading', 'preparing dataset', 'saving']);
    for (const phase of ['reading', 'preparing dataset']) expectIntermediate(byPhase, phase);
    const saving = byPhase.get('saving')!;
    expect(saving.at(-1)!.done).toBe(saving[0]!.total);
    expect(byPhase.get('reading')!.at(-1)).toEqual({
      phase: 'reading',
      done: byPhase.get('reading')![0]!.total,
      total: byPhase.get('reading')![0]!.total,
    });
  });

  it('scoring: scoring by rows, then logging by rows', async () => {
    const byPhase = phases(await reportsOf('model.score', { datasetId, log: true }));
    expect([...byPhase.keys()]).toEqual(['scoring', 'logging']);
    expect(byPhase.get('scoring')![0]!.total).toBe(28_800);
    expect(byPhase.get('logging')![0]!.total).toBe(28_800);
    for (const phase of byPhase.keys()) expectIntermediate(byPhase, phase);
  });

  it('parallel scoring (200k rows and more, on score threads): rows move from every thread, not 0 then 100 %', async () => {
    // 278 buildings × 30 days × 24 h = 200,160 rows: the parallel path (two threads on two cores).
    const big = (await host.call('data.simulate', { buildings: 278, days: 30, seed: 5 })) as { id: string; rows: number };
    expect(big.rows).toBe(200_160);
    const byPhase = phases(await reportsOf('model.score', { datasetId: big.id, log: false }));
    const scoring = byPhase.get('scoring')!;
    expect(scoring[0]!.total).toBe(200_160);
    expect(scoring.at(-1)!.done).toBe(200_160);
    const between = scoring.filter((r) => r.done > 0 && r.done < r.total);
    expect(between.length, `scoring reports ${scoring.map((r) => r.done).join(' ')}`).toBeGreaterThanOrEqual(4);
    // Past the calling thread's own slice (half the rows): the score thread's rows count too.
    expect(between.some((r) => r.done > 100_080)).toBe(true);
    for (let i = 1; i < scoring.length; i++) expect(scoring[i]!.done).toBeGreaterThan(scoring[i - 1]!.done);

    // Cancel lands while the threads score: the call is cancelled mid-way and nothing is logged.
    const logged = ((await host.call('monitoring.logStats', {})) as { records: number }).records;
    let cancelledAt = -1;
    const job = host.call(
      'model.score',
      { datasetId: big.id, log: true },
      {
        requestId: 'parallel-cancel',
        onProgress: (phase: string, done: number, total: number) => {
          if (cancelledAt < 0 && phase === 'scoring' && done > 0 && done < total) {
            cancelledAt = done;
            host.cancel('parallel-cancel');
          }
        },
      },
    );
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect(cancelledAt).toBeGreaterThan(0);
    expect(((await host.call('monitoring.logStats', {})) as { records: number }).records).toBe(logged);
  }, 120_000);
});
