import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeLog } from '../../../src-main/core/monitoring/performance';
import { PredictionLog, type PredictionColumns } from '../../../src-main/core/monitoring/prediction-log';
import { Registry } from '../../../src-main/core/registry';
import { verifyRegistry } from '../../../src-main/core/registry/verify';
import { makeBatch } from './helpers/batch';

/**
 * Issue 9 item 15: retention reclaims space inside a segment, including the
 * newest one that holds the hot window. 20,000 predictions (200 requests of 100)
 * in one segment are pruned to the last 4,320, a cut inside request 156.
 */
const ROOT = resolve(__dirname, '../../..');
const PRUNER = join(__dirname, 'helpers', 'pruner.ts');
const KILL_AT_WRITE = join(ROOT, 'test', 'helpers', 'kill-at-write.mjs');
const REQUESTS = 200;
const PER = 100;
const N = REQUESTS * PER;
const K = 4_320;

let base: string;
/** A registry whose prediction log holds the 20,000 predictions, copied for each trial. */
let template: string;

function bigBatch(k: number) {
  return makeBatch(k, { scores: Float64Array.from({ length: PER }, (_, i) => 0.25 + ((k + i) % 8) / 16) });
}

async function bytesOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

async function copyOfTemplate(name: string): Promise<string> {
  const root = join(base, name);
  await cp(template, root, { recursive: true });
  return root;
}

let expectedLast: PredictionColumns;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gl-compact-'));
  template = join(base, 'template');
  await Registry.openOrCreate(template);
  const log = await PredictionLog.open(join(template, 'predictions'));
  for (let k = 0; k < REQUESTS; k++) await log.append(bigBatch(k));
  expect(log.stats()).toMatchObject({ segments: 1, records: N });
  expectedLast = await log.readLast(K);
  await log.close();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('prune compacts a segment when more than half of it goes', () => {
  it('gives back the space of the pruned rows of the newest segment, keeping the rest byte-exact', async () => {
    const root = await copyOfTemplate('plain');
    const dir = join(root, 'predictions');
    const log = await PredictionLog.open(dir);
    const reader = await PredictionLog.open(dir);
    // Another process's writer (the app's worker) that opened the log before the prune.
    const writer = await PredictionLog.open(dir);
    const summaryBefore = await summarizeLog(log, { last: K });
    const diskBefore = await bytesOnDisk(dir);

    const plan = log.prunePlan({ keepLast: K });
    expect(plan).toMatchObject({ removedSegments: 0, compactedSegments: 1, removedRecords: N - K, keptRecords: K });
    // Request times of what goes: requests 0 … 156 (156 is cut: its first 80 readings go).
    expect([plan.fromMs, plan.toMs]).toEqual([0, 156_000]);
    const r = await log.prune({ keepLast: K });
    expect(r).toEqual({ removedSegments: 0, compactedSegments: 1, removedRecords: N - K, freedBytes: plan.freedBytes });

    const diskAfter = await bytesOnDisk(dir);
    expect(diskBefore - diskAfter).toBe(r.freedBytes);
    expect(diskAfter).toBe(plan.keptBytes);
    // Proportional: 4,320 of 20,000 records (36 bytes each) stay, plus a small header and index.
    expect(diskAfter / diskBefore).toBeCloseTo(K / N, 2);
    console.info(`compaction: ${diskBefore} → ${diskAfter} bytes on disk (${N} → ${K} predictions)`);
    expect((await readdir(dir)).filter((n) => !n.startsWith('.')).length).toBe(2);

    // The kept predictions read back identical, and judge the same (the cut batch still counts as 100 readings).
    expect(log.count()).toBe(K);
    expect(await log.readLast(K)).toEqual(expectedLast);
    expect(await log.readLast(N)).toEqual(expectedLast);
    expect(await summarizeLog(log)).toEqual(summaryBefore);
    const reopened = await PredictionLog.open(dir);
    expect(await reopened.readLast(N)).toEqual(expectedLast);
    await reopened.close();
    // A reader that synced before sees the compaction on its next refresh.
    expect(await reader.refresh()).toBe(true);
    expect(await reader.readLast(N)).toEqual(expectedLast);

    expect((await verifyRegistry(root)).problems).toEqual([]);
    // The stale writer's append reloads first and lands in the compacted segment, not in the deleted one.
    await writer.append(bigBatch(REQUESTS));
    expect(writer.stats()).toMatchObject({ segments: 1, records: K + PER });
    // Appends go on in the compacted segment; a prune that would copy more than it frees waits.
    await log.append(bigBatch(REQUESTS + 1));
    expect(log.stats()).toMatchObject({ segments: 1, records: K + 2 * PER });
    const all = await log.readLast(N);
    expect(all.requests.time.slice(-3)).toEqual(Float64Array.from([199_000, 200_000, 201_000]));
    expect(all.time.slice(0, K)).toEqual(expectedLast.time);
    expect(all.features.hvac_kw!.slice(0, K)).toEqual(expectedLast.features.hvac_kw);
    expect(await reader.refresh()).toBe(true);
    expect(await reader.readLast(N)).toEqual(all);
    expect(await log.prune({ keepLast: K })).toMatchObject({ compactedSegments: 0, removedRecords: 0 });
    expect((await verifyRegistry(root)).problems).toEqual([]);
    await Promise.all([log.close(), reader.close(), writer.close()]);
  });

  it('olderThanMs compacts by whole requests; keepLast 0 empties the newest segment but keeps it', async () => {
    const root = await copyOfTemplate('older');
    const log = await PredictionLog.open(join(root, 'predictions'));
    // Requests 0 … 149 (request time k·1000) are older than 150 s: 15,000 of 20,000 go.
    expect(await log.prune({ olderThanMs: 150_000 })).toMatchObject({ compactedSegments: 1, removedRecords: 15_000 });
    const left = await log.readRequests();
    expect(left.requests.time[0]).toBe(150_000);
    expect(left.requests.rows[0]).toBe(PER);
    expect(await log.prune({ keepLast: 0 })).toMatchObject({ removedSegments: 0, compactedSegments: 1, removedRecords: 5_000 });
    expect(log.stats()).toMatchObject({ segments: 1, records: 0 });
    await log.append(bigBatch(7));
    expect(log.count()).toBe(PER);
    await log.close();
    expect((await verifyRegistry(root)).problems).toEqual([]);
  });

  it('a prune killed at each of its file-changing calls loses nothing that should be kept', async () => {
    const run = (root: string, k: number): { killed: boolean; calls: number } => {
      const countFile = join(root, 'calls.txt');
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', KILL_AT_WRITE, PRUNER, join(root, 'predictions'), String(K)], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, GL_KILL_DIR: join(root, 'predictions'), GL_KILL_AT: String(k), GL_KILL_COUNT_FILE: countFile },
        timeout: 60_000,
      });
      if (r.signal === 'SIGKILL') return { killed: true, calls: k };
      if (r.status !== 0) throw new Error(`pruner failed: ${r.stderr}`);
      return { killed: false, calls: k };
    };
    const clean = await copyOfTemplate('count');
    expect(run(clean, 0).killed).toBe(false);
    const calls = Number(await readFile(join(clean, 'calls.txt'), 'utf8'));
    // Temp files written and synced, the index renamed, the commit rename, the old files deleted, folder syncs.
    expect(calls).toBeGreaterThanOrEqual(6);
    console.info(`compaction crash test: ${calls} file-changing calls, each killed once`);
    const states = new Set<number>();
    for (let k = 1; k <= calls; k++) {
      const root = await copyOfTemplate(`kill-${k}`);
      expect(run(root, k).killed, `killed at call ${k}`).toBe(true);
      const dir = join(root, 'predictions');
      const log = await PredictionLog.open(dir);
      // Either the old segment or the compacted one is the valid one, never both, never neither.
      const count = log.count();
      expect([N, K], `count after a kill at call ${k}`).toContain(count);
      states.add(count);
      expect(log.stats().tornRecords).toBe(0);
      expect(await log.readLast(K)).toEqual(expectedLast);
      expect((await verifyRegistry(root)).problems.filter((p) => p.severity === 'error')).toEqual([]);
      // The next writer finishes the job and clears what the kill left.
      await log.prune({ keepLast: K });
      expect(log.count()).toBe(K);
      expect(await log.readLast(N)).toEqual(expectedLast);
      await log.append(bigBatch(REQUESTS));
      await log.close();
      const names = (await readdir(dir)).filter((n) => !n.startsWith('.'));
      expect(names, `files after a kill at call ${k}`).toHaveLength(2);
      expect((await verifyRegistry(root)).problems).toEqual([]);
    }
    // Kills landed both before and after the commit.
    expect([...states].sort()).toEqual([K, N].sort());
  }, 300_000);
});
