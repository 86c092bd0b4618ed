import { mkdtemp, readdir, rm, truncate, stat, unlink, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { PredictionLog, requestIdHash, type PredictionColumns } from '../../../src-main/core/monitoring/prediction-log';
import { FEATURES, makeBatch, rowsOf, valueOf } from './helpers/batch';

let dir: string;
const open: PredictionLog[] = [];

async function openLog(segmentRecords?: number): Promise<PredictionLog> {
  const log = await PredictionLog.open(dir, segmentRecords ? { segmentRecords } : {});
  open.push(log);
  return log;
}

async function appendBatches(log: PredictionLog, ks: number[]): Promise<void> {
  for (const k of ks) await log.append(makeBatch(k));
}

/** Checks that `cols` holds exactly the readings of batches `ks` (whole), in order. */
function expectBatches(cols: PredictionColumns, ks: number[]): void {
  let row = 0;
  expect(cols.requests.length).toBe(ks.length);
  ks.forEach((k, r) => {
    const b = makeBatch(k);
    expect(cols.requests.time[r]).toBe(k * 1000);
    expect(cols.requests.rows[r]).toBe(rowsOf(k));
    expect(cols.requests.latencyMs[r]).toBe(Math.fround(b.latencyMs));
    expect(cols.requests.requestId[r]).toBe(requestIdHash(`req-${k}`));
    for (let i = 0; i < rowsOf(k); i++, row++) {
      expect(cols.time[row]).toBe(k * 1000);
      expect(cols.score[row]).toBe(Math.fround(b.scores[i]!));
      expect(cols.flag[row]).toBe(b.flags[i]);
      expect(cols.label[row]).toBe(b.labels![i]);
      FEATURES.forEach((f, j) => expect(cols.features[f]![row]).toBe(valueOf(k, i, j)));
    }
  });
  expect(cols.length).toBe(row);
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gl-predlog-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('PredictionLog append and read', () => {
  it('round-trips readings with values equal as f32, across reopen', async () => {
    const log = await openLog();
    await appendBatches(log, [0]);
    const odd = makeBatch(1);
    odd.values[0]![1] = 0.1; // not representable in f32
    odd.values[1]![2] = Number.NaN; // sensor dropout
    expect(await log.append(odd)).toEqual({ appended: rowsOf(1) });
    await appendBatches(log, [2]);
    await log.close();

    const again = await openLog();
    expect(again.count()).toBe(rowsOf(0) + rowsOf(1) + rowsOf(2));
    const cols = await again.readLast(1_000);
    const at = rowsOf(0);
    expect(cols.features.outdoor_temp_c![at + 1]).toBe(Math.fround(0.1));
    expect(cols.features.humidity_pct![at + 2]).toBeNaN();
    expect(cols.versions).toEqual([{ model: 'energy-anomaly', version: '1.0.0' }]);
    expect(cols.requests.anomalies[1]).toBe(makeBatch(1).flags.reduce((a, f) => a + f, 0));
    expect(cols.requests.labelled[2]).toBe(Array.from(makeBatch(2).labels!).filter((l) => l >= 0).length);
    cols.features.outdoor_temp_c![at + 1] = valueOf(1, 1, 0);
    cols.features.humidity_pct![at + 2] = valueOf(1, 2, 1);
    expectBatches(cols, [0, 1, 2]);
  });

  it('stores per-reading times when rowTimes is given', async () => {
    const log = await openLog();
    const b = makeBatch(3, { rowTimes: Float64Array.from({ length: rowsOf(3) }, (_, i) => 1_600_000_000_000 + i * 3_600_000) });
    await log.append(b);
    const cols = await log.readLast(100);
    expect(Array.from(cols.time)).toEqual(Array.from(b.rowTimes!));
    expect(cols.requests.time[0]).toBe(3000);
  });

  it('readLast and readRange are exact across many segments and version changes', async () => {
    const log = await openLog(25);
    const ks = range(0, 40);
    for (const k of ks) await log.append(makeBatch(k, { version: k < 20 ? '1.0.0' : '1.1.0' }));
    const total = ks.reduce((a, k) => a + rowsOf(k), 0);
    expect(log.count()).toBe(total);
    expect(log.stats().segments).toBeGreaterThan(10);

    const everything = await log.readLast(total + 5);
    expect(everything.length).toBe(total);
    expect(everything.versions.map((v) => v.version)).toEqual(['1.0.0', '1.1.0']);
    const firstOf11 = ks.filter((k) => k < 20).reduce((a, k) => a + rowsOf(k), 0);
    expect(everything.versionIndex[firstOf11 - 1]).toBe(0);
    expect(everything.versionIndex[firstOf11]).toBe(1);

    for (const n of [1, 7, 37, 200, total - 1]) {
      const tail = await log.readLast(n);
      expect(tail.length).toBe(n);
      expect(Array.from(tail.score)).toEqual(Array.from(everything.score.subarray(total - n)));
      expect(Array.from(tail.features.hvac_kw!)).toEqual(Array.from(everything.features.hvac_kw!.subarray(total - n)));
      // Rows stay grouped by request; a cut first request reports only its rows in the window.
      expect(tail.requests.rows.reduce((a, r) => a + r, 0)).toBe(n);
      let flagged = 0;
      tail.flag.forEach((f) => (flagged += f));
      expect(tail.requests.anomalies.reduce((a, r) => a + r, 0)).toBe(flagged);
    }

    // Request time k·1000: [12 000, 31 000) is batches 12…30, whole.
    expectBatches(await log.readRange(12_000, 31_000), range(12, 31));
    expectBatches(await log.readRange(-5, 1), [0]);
    expect((await log.readRange(100_000, 200_000)).length).toBe(0);
    const requests = await log.readRequests({ fromMs: 5_000, toMs: 9_000 });
    expect(Array.from(requests.requests.time)).toEqual([5000, 6000, 7000, 8000]);
  });

  it('reads only the requested feature columns and fills NaN where a segment lacks one', async () => {
    const log = await openLog();
    await log.append(makeBatch(0));
    await log.append(
      makeBatch(1, {
        features: ['hvac_kw', 'occupancy'],
        values: [new Float64Array(rowsOf(1)).fill(2), new Float64Array(rowsOf(1)).fill(7)],
      }),
    );
    const cols = await log.readLast(1_000, { columns: ['occupancy'] });
    expect(Object.keys(cols.features)).toEqual(['occupancy']);
    expect(Number.isNaN(cols.features.occupancy![0]!)).toBe(true);
    expect(cols.features.occupancy![rowsOf(0)]).toBe(7);
    const all = await log.readLast(1_000);
    expect(Object.keys(all.features).sort()).toEqual(['humidity_pct', 'hvac_kw', 'occupancy', 'outdoor_temp_c']);
    expect(log.stats().segments).toBe(2);
    expect((await log.readLast(10, { columns: [] })).features).toEqual({});
  });

  it('filters by model', async () => {
    const log = await openLog();
    await log.append(makeBatch(0));
    await log.append(makeBatch(1, { model: 'other' }));
    await log.append(makeBatch(2));
    expect(log.count('other')).toBe(rowsOf(1));
    const mine = await log.readLast(1_000, { model: 'energy-anomaly' });
    expect(mine.length).toBe(rowsOf(0) + rowsOf(2));
    expect(Array.from(mine.requests.time)).toEqual([0, 2000]);
  });

  it('rejects malformed batches with invalid_input naming the field', async () => {
    const log = await openLog();
    const cases: [Partial<ReturnType<typeof makeBatch>>, string][] = [
      [{ flags: new Uint8Array(1) }, 'flags'],
      [{ values: [new Float64Array(rowsOf(1))] }, 'values'],
      [{ latencyMs: Number.NaN }, 'latencyMs'],
      [{ features: ['a', 'a', 'b'] }, 'features'],
      [{ version: '' }, 'version'],
    ];
    for (const [over, field] of cases) {
      const err = await log.append(makeBatch(1, over)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GreenLensError);
      expect((err as GreenLensError).code).toBe('invalid_input');
      expect((err as GreenLensError).info.field).toBe(field);
    }
    expect(log.count()).toBe(0);
    await appendBatches(log, [0]); // the queue survives rejected appends
    expect(log.count()).toBe(rowsOf(0));
  });

  it('appendMany writes many requests per fsync, across segment and version boundaries', async () => {
    const log = await openLog(25);
    const ks = range(0, 12);
    const res = await log.appendMany(ks.map((k) => makeBatch(k, { version: k < 6 ? '1.0.0' : '1.1.0' })));
    expect(res.appended).toBe(ks.reduce((a, k) => a + rowsOf(k), 0));
    await log.close();
    const again = await openLog(25);
    expectBatches(await again.readLast(1_000), ks);
    expect(again.versions().map((v) => [v.version, v.records])).toEqual([
      ['1.0.0', range(0, 6).reduce((a, k) => a + rowsOf(k), 0)],
      ['1.1.0', range(6, 12).reduce((a, k) => a + rowsOf(k), 0)],
    ]);
    // One bad batch rejects the whole call before anything is written.
    await expect(again.appendMany([makeBatch(12), makeBatch(13, { latencyMs: -1 })])).rejects.toMatchObject({ code: 'invalid_input' });
    expect(again.count()).toBe(res.appended);
  });

  it('opens a missing folder as an empty log and creates it on first append', async () => {
    const sub = join(dir, 'predictions');
    const log = await PredictionLog.open(sub);
    open.push(log);
    expect(log.stats()).toEqual({ segments: 0, records: 0, tornRecords: 0, bytes: 0 });
    expect((await log.readLast(10)).length).toBe(0);
    await log.append(makeBatch(0));
    expect((await readdir(sub)).sort()).toEqual(['seg-0000000000000-000000.glp', 'seg-0000000000000-000000.glr']);
  });
});

describe('PredictionLog crash recovery', () => {
  async function onlySegment(): Promise<string> {
    const glp = (await readdir(dir)).filter((n) => n.endsWith('.glp'));
    expect(glp).toHaveLength(1);
    return join(dir, glp[0]!);
  }

  it('skips and counts a torn last record, then truncates it on the next append', async () => {
    const log = await openLog();
    await appendBatches(log, [0, 1, 2]);
    await log.close();
    const glp = await onlySegment();
    const size = (await stat(glp)).size;
    await truncate(glp, size - 3);

    const torn = await openLog();
    expect(torn.stats().tornRecords).toBe(1);
    expect(torn.count()).toBe(rowsOf(0) + rowsOf(1) + rowsOf(2) - 1);
    const before = await torn.readLast(1_000);
    expect(before.requests.rows[2]).toBe(rowsOf(2) - 1);
    expectBatches(await torn.readRange(0, 2000), [0, 1]);

    await torn.append(makeBatch(3));
    await torn.close();
    const healed = await openLog();
    expect(healed.stats().tornRecords).toBe(0);
    const cols = await healed.readLast(1_000);
    expect(cols.length).toBe(rowsOf(0) + rowsOf(1) + rowsOf(2) - 1 + rowsOf(3));
    expectBatches(await healed.readRange(0, 2000), [0, 1]);
    expectBatches(await healed.readLast(rowsOf(3)), [3]);
    // 3 features → 36-byte records: the torn record is cut whole, then batch 3 follows it.
    expect((await stat(glp)).size).toBe(size - 36 + rowsOf(3) * 36);
  });

  it('discards records that no index entry committed (crash between the two writes)', async () => {
    const log = await openLog();
    await appendBatches(log, [0, 1]);
    await log.close();
    const glp = await onlySegment();
    // Two whole records and half of a third, as if the process died mid-batch.
    await appendFile(glp, Buffer.alloc(36 * 2 + 10, 0xab));
    const crashed = await openLog();
    expect(crashed.stats().tornRecords).toBe(3);
    expectBatches(await crashed.readLast(1_000), [0, 1]);
    await crashed.append(makeBatch(2));
    expectBatches(await crashed.readLast(1_000), [0, 1, 2]);
  });

  it('rebuilds a lost index from the records', async () => {
    const log = await openLog();
    await appendBatches(log, [0, 1, 2]);
    await log.close();
    await unlink((await onlySegment()).replace(/\.glp$/, '.glr'));
    const rebuilt = await openLog();
    expectBatches(await rebuilt.readLast(1_000), [0, 1, 2]);
    await rebuilt.append(makeBatch(3));
    await rebuilt.close();
    expectBatches(await (await openLog()).readLast(1_000), [0, 1, 2, 3]);
  });

  it('refuses a segment with a damaged header, naming the file', async () => {
    const log = await openLog();
    await appendBatches(log, [0]);
    await log.close();
    const glp = await onlySegment();
    await truncate(glp, 6);
    const err = await PredictionLog.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GreenLensError);
    expect((err as GreenLensError).code).toBe('corrupt');
    expect((err as GreenLensError).info.file).toBe(glp);
  });
});

describe('PredictionLog retention', () => {
  /** 10 segments of 10 readings each: segment s holds batches 2s, 2s+1 of 5 rows, request times 1000·k. */
  async function tenSegments(): Promise<PredictionLog> {
    const log = await openLog(10);
    for (let k = 0; k < 20; k++)
      await log.append(
        makeBatch(k, {
          scores: new Float64Array(5),
          flags: new Uint8Array(5),
          labels: new Int8Array(5),
          values: FEATURES.map(() => new Float64Array(5)),
        }),
      );
    expect(log.stats().segments).toBe(10);
    return log;
  }

  it('keepLast removes only segments entirely outside the hot window', async () => {
    const log = await tenSegments();
    const last = await log.readLast(35);
    // The last 35 readings touch 4 segments (10+10+10+5): 6 older segments go.
    expect(await log.prune({ keepLast: 35 })).toMatchObject({ removedSegments: 6, removedRecords: 60 });
    expect(log.count()).toBe(40);
    const after = await log.readLast(35);
    expect(Array.from(after.time)).toEqual(Array.from(last.time));
    expect(Array.from(after.requests.time)).toEqual(Array.from(last.requests.time));
    expect(await log.prune({ keepLast: 35 })).toMatchObject({ removedSegments: 0, removedRecords: 0 });
    await log.close();
    const reopened = await openLog();
    expect(reopened.count()).toBe(40);
    expect((await readdir(dir)).length).toBe(8);
  });

  it('olderThanMs removes only segments whose newest request is older, and never the hot window', async () => {
    const log = await tenSegments();
    // Segment s has requests at 2000s and 2000s+1000; older than 7000 → segments 0,1,2 (newest 1000, 3000, 5000).
    expect(await log.prune({ olderThanMs: 7_000 })).toMatchObject({ removedSegments: 3, removedRecords: 30 });
    expect((await log.readRange(0, 1e9)).requests.time[0]).toBe(6000);
    // Everything is old, but the last 45 readings are the hot window: segments holding them stay.
    expect(await log.prune({ olderThanMs: 1e9, keepLast: 45 })).toMatchObject({ removedSegments: 2, removedRecords: 20 });
    expect(log.count()).toBe(50);
    // keepLast 0 keeps the segment being appended to, emptied by compaction (compaction.test.ts).
    expect(await log.prune({ olderThanMs: 1e9, keepLast: 0 })).toMatchObject({
      removedSegments: 4,
      compactedSegments: 1,
      removedRecords: 50,
    });
    expect(log.stats()).toMatchObject({ segments: 1, records: 0 });
    await log.append(makeBatch(99));
    expect(log.count()).toBe(rowsOf(99));
  });

  it('keeps the hot window per model', async () => {
    const log = await openLog(10);
    const five = { scores: new Float64Array(5), flags: new Uint8Array(5), values: FEATURES.map(() => new Float64Array(5)) };
    await log.append(makeBatch(0, { ...five, model: 'rare' }));
    for (let k = 1; k < 9; k++) await log.append(makeBatch(k, five));
    const removed = await log.prune({ keepLast: 5 });
    expect(log.count('rare')).toBe(5);
    expect(removed.removedRecords).toBe(30);
  });

  it('plans a prune without removing anything, then frees exactly the bytes it planned', async () => {
    const log = await tenSegments();
    const before = log.stats();
    const onDisk = async () => {
      let total = 0;
      for (const name of await readdir(dir)) if (!name.startsWith('.')) total += (await stat(join(dir, name))).size;
      return total;
    };
    const diskBefore = await onDisk();
    const plan = log.prunePlan({ keepLast: 35 });
    expect(plan).toMatchObject({ removedSegments: 6, removedRecords: 60, keptRecords: 40 });
    // Requests of the six oldest segments: 0 … 2000·5+1000 ms.
    expect([plan.fromMs, plan.toMs]).toEqual([0, 11_000]);
    expect(plan.freedBytes + plan.keptBytes).toBe(before.bytes);
    expect(log.stats()).toEqual(before);
    const done = await log.prune({ keepLast: 35 });
    expect(done).toEqual({ removedSegments: 6, compactedSegments: 0, removedRecords: 60, freedBytes: plan.freedBytes });
    expect(log.stats().bytes).toBe(before.bytes - plan.freedBytes);
    expect(diskBefore - (await onDisk())).toBe(plan.freedBytes);
    expect(log.prunePlan({ keepLast: 35 })).toMatchObject({ removedSegments: 0, freedBytes: 0, fromMs: null, toMs: null });
  });

  it('rejects an empty policy', async () => {
    const log = await openLog();
    await expect(log.prune({})).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
