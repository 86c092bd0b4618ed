import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import {
  allocateColumns,
  allocateRequests,
  versionSlot,
  type ModelVersionRef,
  type PredictionColumns,
  type RequestColumns,
} from './columns';
import { pieceRequests, pieceRows, planLast, planRange, splitPieces, type Piece } from './read-plan';
import { countFlags, decodeRecords, validateBatch, type PredictionBatch } from './records';
import { Segment, ignoreMissing, syncDir, type Compaction, type PendingBatch } from './segment';
import { INDEX_EXT, SEGMENT_EXT, armIndex, parseSegmentName, requestIdHash } from './segment-format';

export type { PredictionBatch } from './records';
export type { ModelVersionRef, PredictionColumns, RequestColumns } from './columns';
export { requestIdHash } from './segment-format';

export interface PredictionLogOptions {
  /** Records per segment before a new one starts (default 1,000,000). A larger single batch gets a segment of its own. */
  segmentRecords?: number;
}

export interface ReadOptions {
  /** Feature columns to decode; default every feature of the segments read. `[]` reads none. */
  columns?: string[];
  /** Only this model's segments. */
  model?: string;
  /**
   * Include shadow predictions (A/B and shadow runs, ARCHITECTURE §4a). Off by
   * default: a shadow scored readings the champion decided, so monitoring
   * counts only what decided; the A/B report asks for them.
   */
  shadow?: boolean;
}

export interface ScanOptions extends ReadOptions {
  /** Request-time window [fromMs, toMs); default everything. Ignored when `last` is set. */
  fromMs?: number;
  toMs?: number;
  /** Only the last N readings. */
  last?: number;
  /** Upper bound on rows per emitted chunk (default 1,000,000). */
  chunkRows?: number;
}

export interface RequestRead {
  versions: ModelVersionRef[];
  requests: RequestColumns;
}

export interface PruneResult {
  /** Segments deleted whole. */
  removedSegments: number;
  /** Segments rewritten without their pruned rows (see prune()). */
  compactedSegments: number;
  removedRecords: number;
  /** Bytes given back: removed files, and what compaction made smaller. */
  freedBytes: number;
}

/** What a prune with a policy would remove, and what stays (for a confirmation). */
export interface PrunePlan extends PruneResult {
  /** Request times of the removed predictions (epoch ms); null when nothing goes. */
  fromMs: number | null;
  toMs: number | null;
  keptRecords: number;
  keptBytes: number;
}

const DEFAULT_SEGMENT_RECORDS = 1_000_000;
const READ_CHUNK_ROWS = 1_000_000;

/**
 * The append-only prediction log under `<registry>/predictions/` (format in
 * segment-format.ts).
 *
 * - Appends within the process are serialised. Several processes (the app's
 *   worker, a `greenlens score`) may append when each holds the registry lock:
 *   every append first compares the files on disk with what it holds in memory and
 *   reloads what another process changed, so no position is trusted across processes.
 * - `open` only reads, so viewers may open a log being written and see the snapshot
 *   taken at open; `refresh` brings it up to date.
 * - Each `append` is one scoring request: all its readings share its request id,
 *   time and latency. Latency is stored once per request in the segment index, so
 *   latency statistics are per request, not per reading.
 * - Time-range reads select by request time (when the prediction was made); each
 *   reading's own time (`rowTimes`) is returned in `time`.
 */
export class PredictionLog {
  private queue: Promise<unknown> = Promise.resolve();
  private cleaned = false;

  private constructor(
    readonly dir: string,
    private segments: Segment[],
    /** Bases of segments a compacted one replaces, left by an interrupted prune: ignored, deleted by the next write. */
    private superseded: string[],
    private readonly segmentRecords: number,
  ) {}

  static async open(dir: string, options: PredictionLogOptions = {}): Promise<PredictionLog> {
    const segmentRecords = options.segmentRecords ?? DEFAULT_SEGMENT_RECORDS;
    if (!Number.isInteger(segmentRecords) || segmentRecords < 1) {
      throw new GreenLensError('invalid_input', `segmentRecords must be a positive integer, got ${segmentRecords}.`, {
        field: 'segmentRecords',
      });
    }
    const { segments, superseded } = await loadSegments(dir);
    return new PredictionLog(dir, segments, superseded, segmentRecords);
  }

  /**
   * Brings this snapshot up to date with what other processes wrote since it was
   * opened; resolves true when anything was reloaded.
   */
  refresh(): Promise<boolean> {
    const run = this.queue.then(() => this.syncWithDisk());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Appends one request's readings; resolves once they are fsynced. */
  /** `progress(rows, total)` follows the records written (see Segment.append). */
  append(batch: PredictionBatch, progress?: (rows: number, total: number) => void): Promise<{ appended: number }> {
    return this.appendMany([batch], progress);
  }

  /**
   * Appends several requests with one write and one fsync per segment touched: for
   * callers that buffer many small requests. Every batch is validated before anything
   * is written; after a crash each request is whole or absent, and a prefix may survive.
   */
  appendMany(batches: readonly PredictionBatch[], progress?: (rows: number, total: number) => void): Promise<{ appended: number }> {
    const run = this.queue.then(() => this.appendNow(batches, progress));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Committed readings (of one model when given). */
  count(model?: string): number {
    let n = 0;
    for (const s of this.segments) if (model === undefined || s.header.model === model) n += s.rows;
    return n;
  }

  async readLast(n: number, opts: ReadOptions = {}): Promise<PredictionColumns> {
    return this.materialize(planLast(this.segments, n, opts.model, opts.shadow), opts.columns);
  }

  /** Readings of requests with fromMs ≤ request time < toMs. */
  async readRange(fromMs: number, toMs: number, opts: ReadOptions = {}): Promise<PredictionColumns> {
    return this.materialize(planRange(this.segments, fromMs, toMs, opts.model, opts.shadow), opts.columns);
  }

  /** Streams readings in chunks (for logs too large to hold at once); chunks follow log order. */
  async scan(opts: ScanOptions, fn: (chunk: PredictionColumns) => void | Promise<void>): Promise<void> {
    const pieces = splitPieces(this.plan(opts), opts.chunkRows ?? READ_CHUNK_ROWS);
    for (const p of pieces) await fn(await this.materialize([p], opts.columns));
  }

  /** Request index only (time, latency, rows, anomalies): never reads the records except to recount a clipped request. */
  async readRequests(opts: Omit<ScanOptions, 'columns' | 'chunkRows'> = {}): Promise<RequestRead> {
    const pieces = this.plan(opts);
    const versions: ModelVersionRef[] = [];
    const requests = allocateRequests(pieceRequests(pieces));
    let at = 0;
    for (const p of pieces) {
      const v = versionSlot(versions, p.seg.header.model, p.seg.header.version);
      at = await fillRequests(p, requests, at, v, null);
      requests.arm.fill(armIndex(p.seg.header), at - (p.e1 - p.e0), at);
    }
    return { versions, requests };
  }

  /**
   * Per-request latencies only: the latency column of the request indexes, already
   * in memory, so p95 over millions of requests is a copy plus a selection.
   */
  requestLatencies(opts: Omit<ScanOptions, 'columns' | 'chunkRows'> = {}): Float64Array {
    const pieces = this.plan(opts);
    const out = new Float64Array(pieceRequests(pieces));
    let at = 0;
    for (const p of pieces) {
      out.set(p.seg.index.latencyMs.subarray(p.e0, p.e1), at);
      at += p.e1 - p.e0;
    }
    return out;
  }

  /** Model versions present, in log order, with their reading counts. */
  versions(): (ModelVersionRef & { records: number; features: string[] })[] {
    const out: (ModelVersionRef & { records: number; features: string[] })[] = [];
    for (const s of this.segments) {
      const hit = out.find((o) => o.model === s.header.model && o.version === s.header.version);
      if (hit) hit.records += s.rows;
      else out.push({ model: s.header.model, version: s.header.version, records: s.rows, features: [...s.header.features] });
    }
    return out;
  }

  stats(): { segments: number; records: number; tornRecords: number; bytes: number } {
    let records = 0;
    let tornRecords = 0;
    let bytes = 0;
    for (const s of this.segments) {
      records += s.rows;
      tornRecords += s.tornRecords;
      bytes += s.bytes;
    }
    return { segments: this.segments.length, records, tornRecords, bytes };
  }

  /**
   * Removes the readings that are (a) outside the hot window — at least `keepLast`
   * newer readings of their model remain after them — and (b) when `olderThanMs` is
   * given, of requests older than that. A segment whose readings all go is deleted
   * (the segment being appended to is never deleted, only emptied); one where more
   * than half go is compacted: its kept readings are rewritten to a new segment
   * that replaces it (crash-safe, see segment-format.ts), so the newest segment,
   * which holds the hot window, gives space back too. Where at most half would go,
   * the segment stays as it is: a compaction copies no more than it frees.
   */
  prune(policy: { keepLast?: number; olderThanMs?: number }): Promise<PruneResult> {
    const { keepLast, olderThanMs } = policy;
    if (keepLast === undefined && olderThanMs === undefined) {
      return Promise.reject(new GreenLensError('invalid_input', 'Prune needs keepLast, olderThanMs or both.', { field: 'policy' }));
    }
    if (keepLast !== undefined && (!Number.isInteger(keepLast) || keepLast < 0)) {
      return Promise.reject(
        new GreenLensError('invalid_input', `keepLast must be a non-negative integer, got ${keepLast}.`, { field: 'keepLast' }),
      );
    }
    if (olderThanMs !== undefined && !Number.isFinite(olderThanMs)) {
      return Promise.reject(
        new GreenLensError('invalid_input', `olderThanMs must be a number, got ${olderThanMs}.`, { field: 'olderThanMs' }),
      );
    }
    const run = this.queue.then(() => this.pruneNow(keepLast ?? 0, olderThanMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** What prune(policy) would remove now, without removing anything. */
  prunePlan(policy: { keepLast?: number; olderThanMs?: number }): PrunePlan {
    const { doomed, compactions } = this.retention(policy.keepLast ?? 0, policy.olderThanMs);
    let removedRecords = 0;
    let freedBytes = 0;
    let fromMs = Number.POSITIVE_INFINITY;
    let toMs = Number.NEGATIVE_INFINITY;
    let keptRecords = 0;
    let keptBytes = 0;
    for (const seg of this.segments) {
      const c = compactions.get(seg);
      if (c) {
        removedRecords += c.drop;
        freedBytes += seg.bytes - c.bytes;
        keptRecords += c.keptRows;
        keptBytes += c.bytes;
        if (c.fromMs !== null && c.toMs !== null) {
          fromMs = Math.min(fromMs, c.fromMs);
          toMs = Math.max(toMs, c.toMs);
        }
        continue;
      }
      if (!doomed.has(seg)) {
        keptRecords += seg.rows;
        keptBytes += seg.bytes;
        continue;
      }
      removedRecords += seg.rows;
      freedBytes += seg.bytes;
      if (seg.rows > 0) {
        fromMs = Math.min(fromMs, seg.index.minTime);
        toMs = Math.max(toMs, seg.index.maxTime);
      }
    }
    const any = Number.isFinite(fromMs);
    return {
      removedSegments: doomed.size,
      compactedSegments: compactions.size,
      removedRecords,
      freedBytes,
      fromMs: any ? fromMs : null,
      toMs: any ? toMs : null,
      keptRecords,
      keptBytes,
    };
  }

  async close(): Promise<void> {
    await this.queue;
    await Promise.all(this.segments.map((s) => s.close()));
  }

  private plan(opts: Omit<ScanOptions, 'columns' | 'chunkRows'>): Piece[] {
    if (opts.last !== undefined) return planLast(this.segments, opts.last, opts.model, opts.shadow);
    return planRange(
      this.segments,
      opts.fromMs ?? Number.NEGATIVE_INFINITY,
      opts.toMs ?? Number.POSITIVE_INFINITY,
      opts.model,
      opts.shadow,
    );
  }

  /**
   * Reloads the segments another process added, removed or appended to. Only the
   * tail can grow, so a segment list that matches needs one look at the tail's files.
   */
  private async syncWithDisk(): Promise<boolean> {
    const stale = new Set(this.superseded);
    const bases = (await segmentNames(this.dir)).map((p) => p.base).filter((b) => !stale.has(b));
    const same = bases.length === this.segments.length && bases.every((b, i) => b === this.segments[i]!.base);
    if (same) {
      // The tail grows, and the one before it while two arms of an A/B run take turns (segmentFor).
      let changed = false;
      for (let k = Math.max(0, this.segments.length - 2); k < this.segments.length; k++) {
        const seg = this.segments[k]!;
        if (!(await seg.changedOnDisk())) continue;
        await seg.close();
        this.segments[k] = await Segment.load(this.dir, seg.base, seg.seq);
        changed = true;
      }
      return changed;
    }
    await Promise.all(this.segments.map((s) => s.close()));
    ({ segments: this.segments, superseded: this.superseded } = await loadSegments(this.dir));
    return true;
  }

  /** Deletes segments a committed compaction replaced (left by a prune that was interrupted). */
  private async removeSuperseded(): Promise<void> {
    if (this.superseded.length === 0) return;
    for (const base of this.superseded) {
      // Records first: a lone index is ignored on open.
      for (const ext of [SEGMENT_EXT, INDEX_EXT]) {
        await unlink(join(this.dir, base + ext)).catch(ignoreMissing);
      }
    }
    await syncDir(this.dir);
    this.superseded = [];
  }

  private async appendNow(
    batches: readonly PredictionBatch[],
    progress?: (rows: number, total: number) => void,
  ): Promise<{ appended: number }> {
    const counts = batches.map(validateBatch);
    await this.syncWithDisk();
    const total = counts.reduce((a, b) => a + b, 0);
    let before = 0;
    // Rows across every segment touched, not per segment.
    const report = progress && ((rows: number) => progress(before + rows, total));
    if (!this.cleaned) await this.cleanOrphans();
    await this.removeSuperseded();
    let appended = 0;
    let run: PendingBatch[] = [];
    let target: Segment | undefined;
    let targetRows = 0;
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!;
      const n = counts[i]!;
      if (n === 0) continue;
      const fits =
        target !== undefined &&
        target.accepts(b.model, b.version, b.features, b.arm) &&
        (targetRows === 0 || targetRows + n <= this.segmentRecords);
      if (!fits) {
        if (target && run.length > 0) await target.append(run, report);
        before = appended;
        run = [];
        target = await this.segmentFor(b, n);
        targetRows = target.rows;
      }
      run.push({ batch: b, rows: n, requestId: requestIdHash(b.requestId) });
      targetRows += n;
      appended += n;
    }
    if (target && run.length > 0) await target.append(run, report);
    return { appended };
  }

  /**
   * The tail segment when the batch fits there, else a new segment (closing the
   * old tail's handles). While an A/B or shadow run logs two arms of one model
   * in turns, the segment before the tail takes its own arm's batches: without
   * that, every turn would start a segment (a stream's would, every 200 ms).
   */
  private async segmentFor(b: PredictionBatch, n: number): Promise<Segment> {
    const fits = (seg: Segment): boolean =>
      seg.accepts(b.model, b.version, b.features, b.arm) && (seg.rows === 0 || seg.rows + n <= this.segmentRecords);
    const tail = this.segments[this.segments.length - 1];
    if (tail && fits(tail)) return tail;
    const before = this.segments[this.segments.length - 2];
    if (tail && before && tail.header.model === b.model && (tail.header.arm ?? 'champion') !== (b.arm ?? 'champion') && fits(before))
      return before;
    await tail?.close();
    const seg = await Segment.create(this.dir, (tail?.seq ?? -1) + 1, b.time, {
      model: b.model,
      version: b.version,
      features: [...b.features],
      createdAt: new Date().toISOString(),
      ...(b.arm === 'challenger' || b.arm === 'shadow' ? { arm: b.arm } : {}),
    });
    this.segments.push(seg);
    return seg;
  }

  /** Leftovers of interrupted segment creation or pruning: temp files and lone indexes. */
  private async cleanOrphans(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = await readdir(this.dir);
    const live = new Set(this.segments.map((s) => s.base));
    for (const name of names) {
      const loneIndex = name.endsWith(INDEX_EXT) && name.startsWith('seg-') && !live.has(name.slice(0, -INDEX_EXT.length));
      if (loneIndex || /^seg-.*\.tmp-\d+$/.test(name)) await unlink(join(this.dir, name)).catch(() => undefined);
    }
    this.cleaned = true;
  }

  private async pruneNow(keepLast: number, olderThanMs: number | undefined): Promise<PruneResult> {
    await this.syncWithDisk();
    if (!this.cleaned) await this.cleanOrphans();
    // A replaced segment still on disk must go before another compaction replaces its successor.
    await this.removeSuperseded();
    const { doomed, compactions } = this.retention(keepLast, olderThanMs);
    let removedRecords = 0;
    let freedBytes = 0;
    for (const seg of doomed) {
      freedBytes += seg.bytes;
      await seg.remove();
      removedRecords += seg.rows;
    }
    if (doomed.size > 0) await syncDir(this.dir);
    this.segments = this.segments.filter((s) => !doomed.has(s));
    for (const c of compactions.values()) {
      const at = this.segments.indexOf(c.seg);
      const fresh = await Segment.compact(c);
      this.segments[at] = fresh;
      removedRecords += c.drop;
      freedBytes += c.seg.bytes - fresh.bytes;
    }
    return { removedSegments: doomed.size, compactedSegments: compactions.size, removedRecords, freedBytes };
  }

  /** What a prune removes (see prune()): whole segments, and compactions of the rest. */
  private retention(keepLast: number, olderThanMs: number | undefined): { doomed: Set<Segment>; compactions: Map<Segment, Compaction> } {
    const newerOfModel = new Map<string, number>();
    const doomed = new Set<Segment>();
    const compactions = new Map<Segment, Compaction>();
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const seg = this.segments[i]!;
      const model = seg.header.model;
      const newer = newerOfModel.get(model) ?? 0;
      newerOfModel.set(model, newer + seg.rows);
      const tail = i === this.segments.length - 1;
      if (seg.rows === 0) {
        if (!tail && newer >= keepLast) doomed.add(seg);
        continue;
      }
      // Older rows come first in a segment: what goes is always a prefix.
      const outside = Math.max(0, seg.rows - Math.max(0, keepLast - newer));
      const drop = Math.min(outside, olderThanMs === undefined ? seg.rows : oldPrefixRows(seg, olderThanMs));
      if (drop === seg.rows && !tail) doomed.add(seg);
      else if (drop > 0 && drop > seg.rows - drop) compactions.set(seg, seg.compaction(drop));
    }
    return { doomed, compactions };
  }

  private async materialize(pieces: readonly Piece[], columns: readonly string[] | undefined): Promise<PredictionColumns> {
    const names = columns ?? unionFeatures(pieces);
    const out = allocateColumns(pieceRows(pieces), pieceRequests(pieces), names);
    let row = 0;
    let req = 0;
    for (const p of pieces) {
      const { header } = p.seg;
      const v = versionSlot(out.versions, header.model, header.version);
      const targets = header.features.map((f) => out.features[f] ?? null);
      for (let r = p.r0; r < p.r1; r += READ_CHUNK_ROWS) {
        const r1 = Math.min(p.r1, r + READ_CHUNK_ROWS);
        const buf = await p.seg.readRecords(r, r1);
        if (buf.length < (r1 - r) * p.seg.recordSize) throw shrunk(p.seg);
        decodeRecords(buf, r1 - r, header.features.length, out, row + (r - p.r0), v, targets, armIndex(header));
      }
      const firstReq = req;
      req = await fillRequests(p, out.requests, req, v, { flag: out.flag, label: out.label, at: row });
      out.requests.arm.fill(armIndex(header), firstReq, req);
      row += p.r1 - p.r0;
    }
    return out;
  }
}

/**
 * Copies the piece's index entries into `requests` at `at`; returns the next slot.
 * A clipped first entry gets its rows cut to the window and its anomalies recounted
 * from `decoded` rows when present, else from the records.
 */
async function fillRequests(
  p: Piece,
  requests: RequestColumns,
  at: number,
  versionIndex: number,
  decoded: { flag: Uint8Array; label: Int8Array; at: number } | null,
): Promise<number> {
  const idx = p.seg.index;
  const count = p.e1 - p.e0;
  // Bulk copies: a log of single-reading requests has an entry per reading.
  requests.time.set(idx.time.subarray(p.e0, p.e1), at);
  requests.latencyMs.set(idx.latencyMs.subarray(p.e0, p.e1), at);
  requests.requestId.set(idx.requestId.subarray(p.e0, p.e1), at);
  requests.rows.set(idx.rows.subarray(p.e0, p.e1), at);
  requests.requestRows.set(idx.rows.subarray(p.e0, p.e1), at);
  requests.anomalies.set(idx.anomalies.subarray(p.e0, p.e1), at);
  requests.labelled.set(idx.labelled.subarray(p.e0, p.e1), at);
  requests.versionIndex.fill(versionIndex, at, at + count);
  // A compacted segment's first request may be the end of a bigger one: judge it by its whole size.
  const whole = p.seg.header.firstRequestRows;
  if (whole !== undefined && p.e0 === 0 && count > 0) requests.requestRows[at] = whole;
  for (const e of [p.e0, p.e1 - 1]) {
    if (e < p.e0 || e >= p.e1) continue;
    const first = idx.firstRow[e]!;
    const end = first + idx.rows[e]!;
    const start = Math.max(first, p.r0);
    const stop = Math.min(end, p.r1);
    if (start === first && stop === end) continue;
    // Only a window edge cuts a request: count what lies inside the window.
    const slot = at + (e - p.e0);
    requests.rows[slot] = stop - start;
    if (decoded) {
      let a = 0;
      let l = 0;
      for (let r = start - p.r0 + decoded.at; r < stop - p.r0 + decoded.at; r++) {
        a += decoded.flag[r]!;
        if (decoded.label[r]! >= 0) l++;
      }
      requests.anomalies[slot] = a;
      requests.labelled[slot] = l;
    } else {
      const counts = countFlags(await p.seg.readRecords(start, stop), stop - start, p.seg.header.features.length);
      requests.anomalies[slot] = counts.anomalies;
      requests.labelled[slot] = counts.labelled;
    }
    if (p.e1 - p.e0 === 1) break;
  }
  return at + count;
}

async function segmentNames(dir: string): Promise<{ base: string; seq: number }[]> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const parsed = names.map(parseSegmentName).filter((p): p is NonNullable<typeof p> => p !== null);
  return parsed.sort((a, b) => a.seq - b.seq);
}

/** Rows of the leading requests of `seg` made before `beforeMs` (whole requests). */
function oldPrefixRows(seg: Segment, beforeMs: number): number {
  const idx = seg.index;
  let e = 0;
  while (e < idx.length && idx.time[e]! < beforeMs) e++;
  return e < idx.length ? idx.firstRow[e]! : seg.rows;
}

/**
 * Every segment on disk, except those a compacted segment replaces (the new one
 * was committed, the old one not yet deleted when a prune was interrupted).
 */
async function loadSegments(dir: string): Promise<{ segments: Segment[]; superseded: string[] }> {
  const all: Segment[] = [];
  for (const p of await segmentNames(dir)) all.push(await Segment.load(dir, p.base, p.seq));
  const replaced = new Set(all.map((s) => s.header.replaces).filter((b): b is string => b !== undefined));
  const superseded = all.filter((s) => replaced.has(s.base)).map((s) => s.base);
  return { segments: all.filter((s) => !replaced.has(s.base)), superseded };
}

function unionFeatures(pieces: readonly Piece[]): string[] {
  const seen = new Set<string>();
  for (const p of pieces) for (const f of p.seg.header.features) seen.add(f);
  return [...seen];
}

function shrunk(seg: Segment): GreenLensError {
  return new GreenLensError('corrupt', `Prediction log segment ${seg.base} shrank while it was being read.`, {
    file: seg.glpPath,
    hint: 'Another program changed the predictions folder; reopen the registry.',
  });
}
