import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PredictionLog } from '../../../src-main/core/monitoring/prediction-log';
import { FEATURES, makeBatch, rowsOf } from './helpers/batch';

let dir: string;
const open: PredictionLog[] = [];

async function openLog(): Promise<PredictionLog> {
  const log = await PredictionLog.open(dir);
  open.push(log);
  return log;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gl-arms-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  await rm(dir, { recursive: true, force: true });
});

/** Champion (no arm given), challenger, shadow, champion: the A/B tail's batches of two requests. */
async function writeArms(log: PredictionLog): Promise<void> {
  await log.appendMany([makeBatch(1), makeBatch(2, { version: '1.0.1', arm: 'challenger' })]);
  await log.append(makeBatch(3, { version: '1.0.1', arm: 'shadow' }));
  await log.append(makeBatch(4, { arm: 'champion' }));
}

describe('the arm of logged predictions', () => {
  it('round-trips per row and per request, across a reopen', async () => {
    await writeArms(await openLog());
    for (const log of [open[0]!, await openLog()]) {
      const all = await log.readRange(0, Infinity, { shadow: true });
      expect([...all.requests.arm]).toEqual([0, 1, 2, 0]);
      const rows = [1, 2, 3, 4].flatMap((k, a) => Array<number>(rowsOf(k)).fill([0, 1, 2, 0][a]!));
      expect([...all.arm]).toEqual(rows);
      expect(all.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
      const req = await log.readRequests({ shadow: true });
      expect([...req.requests.arm]).toEqual([0, 1, 2, 0]);
    }
  });

  it('leaves shadow predictions out of reads unless asked: monitoring counts what decided', async () => {
    const log = await openLog();
    await writeArms(log);
    const decided = await log.readRange(0, Infinity);
    expect([...decided.requests.arm]).toEqual([0, 1, 0]);
    expect(decided.length).toBe(rowsOf(1) + rowsOf(2) + rowsOf(4));
    const last = await log.readLast(rowsOf(4) + 1);
    expect([...last.arm]).toEqual([1, ...Array<number>(rowsOf(4)).fill(0)]);
    expect((await log.readRequests()).requests.length).toBe(3);
    expect(log.requestLatencies().length).toBe(3);
  });

  it('keeps each arm in its own segment; a champion segment has no arm field, so logs written before A/B read as champion', async () => {
    await writeArms(await openLog());
    const names = (await readdir(dir)).filter((n) => n.endsWith('.glp')).sort();
    expect(names).toHaveLength(4);
    const headers = await Promise.all(
      names.map(async (n) => {
        const buf = await readFile(join(dir, n));
        return JSON.parse(buf.toString('utf8', 12, 12 + buf.readUInt32LE(8))) as Record<string, unknown>;
      }),
    );
    expect(headers.map((h) => h.arm)).toEqual([undefined, 'challenger', 'shadow', undefined]);
    expect(Object.keys(headers[0]!).sort()).toEqual(['createdAt', 'features', 'model', 'version']);
    expect(headers[0]!.features).toEqual(FEATURES);
  });

  it('keeps the arm through compaction', async () => {
    const log = await openLog();
    for (let k = 1; k <= 6; k++) await log.append(makeBatch(k, { version: '1.0.1', arm: 'challenger' }));
    const r = await log.prune({ keepLast: rowsOf(6) });
    expect(r.compactedSegments).toBe(1);
    const after = await (await openLog()).readRange(0, Infinity);
    expect(after.length).toBe(rowsOf(6));
    expect(after.arm.every((a) => a === 1)).toBe(true);
  });

  it('refuses an unknown arm, naming the field', async () => {
    const log = await openLog();
    const bad = { ...makeBatch(1), arm: 'treatment' } as unknown as Parameters<PredictionLog['append']>[0];
    await expect(log.append(bad)).rejects.toMatchObject({
      code: 'invalid_input',
      info: { field: 'arm' },
      message: 'The arm must be champion, challenger or shadow, got treatment.',
    });
  });
});

describe('two arms taking turns', () => {
  it('share two segments instead of starting one per turn, and another reader sees both grow', async () => {
    const log = await openLog();
    const reader = await openLog();
    for (let k = 1; k <= 40; k += 2) {
      await log.appendMany([makeBatch(k), makeBatch(k + 1, { version: '1.0.1', arm: 'shadow' })]);
    }
    expect((await readdir(dir)).filter((n) => n.endsWith('.glp'))).toHaveLength(2);
    await reader.refresh();
    for (const l of [log, reader, await openLog()]) {
      const all = await l.readRange(0, Infinity, { shadow: true });
      expect(all.requests.length).toBe(40);
      const champion = await l.readRange(0, Infinity);
      expect([...champion.requests.time]).toEqual(Array.from({ length: 20 }, (_, i) => (2 * i + 1) * 1000));
    }
    // A writer that opened the log earlier appends after the other's rows, never over them.
    await reader.append(makeBatch(41));
    const all = await (await openLog()).readRange(0, Infinity, { shadow: true });
    expect(all.requests.length).toBe(41);
    expect(all.length).toBe(Array.from({ length: 41 }, (_, i) => rowsOf(i + 1)).reduce((a, b) => a + b, 0));
  });
});
