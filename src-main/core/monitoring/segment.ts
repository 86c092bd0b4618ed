import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arm } from '../../contract/shared/ab';
import { GreenLensError } from '../../contract/shared/errors';
import { IndexStore } from './index-store';
import { countFlags, encodeBatchInto, sliceBatch, type PredictionBatch } from './records';
import {
  INDEX_ENTRY_BYTES,
  INDEX_EXT,
  INDEX_HEADER_BYTES,
  SEGMENT_EXT,
  checkIndexHeader,
  decodeSegmentHeader,
  encodeIndexEntries,
  encodeIndexHeader,
  encodeSegmentHeader,
  parseSegmentName,
  recordBytes,
  segmentBaseName,
  type IndexEntry,
  type SegmentHeader,
} from './segment-format';

/** Records are encoded and written in slices of about this size (bounded memory, visible progress). */
const APPEND_SLICE_BYTES = 1 << 20;
/** Compaction copies kept records in slices of about this size. */
const COPY_SLICE_BYTES = 4 << 20;

/**
 * A planned compaction (see segment-format.ts): the first `drop` rows of `seg`
 * go, the rest move to a new segment `base` with `header`. Sizes are exact, so
 * a prune plan says what a prune frees.
 */
export interface Compaction {
  seg: Segment;
  drop: number;
  /** First index entry kept (cut at its start when `drop` falls inside it). */
  firstEntry: number;
  base: string;
  header: SegmentHeader;
  keptRows: number;
  /** Size of the new segment's two files. */
  bytes: number;
  /** Request times of the dropped rows (epoch ms); null when none. */
  fromMs: number | null;
  toMs: number | null;
}
/** A validated batch with its row count and hashed request id, ready for `Segment.append`. */
export interface PendingBatch {
  batch: PredictionBatch;
  rows: number;
  requestId: number;
}

/**
 * One segment: a `.glp` record file plus its `.glr` request index (see
 * segment-format.ts). Loading never writes; a torn tail found on load is only
 * cut off by `repair()`, which the log calls right before the next append, so a
 * read-only open (CLI, a second viewer) never modifies the registry.
 */
export class Segment {
  readonly index = new IndexStore();
  readonly recordSize: number;
  /** Records discarded on load: a partial trailing record, or records no index entry commits. */
  tornRecords = 0;
  private needsRepair = false;
  private trimmedLastEntry = false;
  private writer: { glp: FileHandle; glr: FileHandle } | null = null;
  private glpBytes: number;
  private glrBytes: number;
  /** What the two files looked like on disk when memory last matched them (see `changedOnDisk`). */
  private stamp = '';

  private constructor(
    readonly dir: string,
    readonly base: string,
    readonly seq: number,
    readonly header: SegmentHeader,
    readonly dataStart: number,
    glpBytes: number,
    glrBytes: number,
  ) {
    this.recordSize = recordBytes(header.features.length);
    this.glpBytes = glpBytes;
    this.glrBytes = glrBytes;
  }

  get rows(): number {
    return this.index.endRow;
  }

  get bytes(): number {
    return this.glpBytes + this.glrBytes;
  }

  get glpPath(): string {
    return join(this.dir, this.base + SEGMENT_EXT);
  }

  get glrPath(): string {
    return join(this.dir, this.base + INDEX_EXT);
  }

  /** True when a batch of this shape may go into this segment. */
  accepts(model: string, version: string, features: readonly string[], arm: Arm = 'champion'): boolean {
    const h = this.header;
    return (
      h.model === model &&
      h.version === version &&
      (h.arm ?? 'champion') === arm &&
      h.features.length === features.length &&
      h.features.every((f, i) => f === features[i])
    );
  }

  static async load(dir: string, base: string, seq: number): Promise<Segment> {
    const glpPath = join(dir, base + SEGMENT_EXT);
    // Taken before reading: a write that lands while we read makes the next check differ.
    const stamp = await diskStamp(dir, base);
    const fh = await open(glpPath, 'r');
    try {
      const size = (await fh.stat()).size;
      let head = await readAt(fh, 0, Math.min(size, 4096));
      let parsed = decodeSegmentHeader(head);
      if (!parsed.ok && parsed.needBytes !== undefined && parsed.needBytes <= size) {
        head = await readAt(fh, 0, parsed.needBytes);
        parsed = decodeSegmentHeader(head);
      }
      if (!parsed.ok) {
        throw new GreenLensError('corrupt', `Prediction log segment ${base}${SEGMENT_EXT} is unreadable: ${parsed.reason}.`, {
          file: glpPath,
          hint: 'Move the file out of the predictions folder to open the rest of the log.',
        });
      }
      const glrPath = join(dir, base + INDEX_EXT);
      let glr: Buffer | null = null;
      try {
        glr = await readWhole(glrPath);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
      const seg = new Segment(dir, base, seq, parsed.header, parsed.dataStart, size, glr?.length ?? 0);
      seg.stamp = stamp;
      const whole = Math.floor(Math.max(0, size - parsed.dataStart) / seg.recordSize);
      const partial = Math.max(0, size - parsed.dataStart) % seg.recordSize !== 0 ? 1 : 0;
      if (glr === null) await seg.rebuildIndex(fh, whole);
      else await seg.loadIndex(fh, glr, glrPath, whole);
      seg.tornRecords = whole - seg.rows + partial;
      const expectedGlp = parsed.dataStart + seg.rows * seg.recordSize;
      const expectedGlr = INDEX_HEADER_BYTES + seg.index.length * INDEX_ENTRY_BYTES;
      seg.needsRepair = glr === null || size !== expectedGlp || glr.length !== expectedGlr || seg.trimmedLastEntry;
      return seg;
    } finally {
      await fh.close();
    }
  }

  /** Creates both files via temp + rename so a crash never leaves a half-written header. */
  static async create(dir: string, seq: number, startTimeMs: number, header: SegmentHeader): Promise<Segment> {
    const base = segmentBaseName(startTimeMs, seq);
    const head = encodeSegmentHeader(header);
    const idx = encodeIndexHeader();
    // The index goes first: a .glp without its .glr would be rebuilt, a lone .glr is ignored.
    await writeAtomic(join(dir, base + INDEX_EXT), idx);
    await writeAtomic(join(dir, base + SEGMENT_EXT), head);
    await syncDir(dir);
    const seg = new Segment(dir, base, seq, header, head.length, head.length, idx.length);
    seg.stamp = await diskStamp(dir, base);
    return seg;
  }

  /** Plans dropping the first `drop` rows (0 < drop ≤ rows); nothing is written. */
  compaction(drop: number): Compaction {
    const idx = this.index;
    let firstEntry = 0;
    while (firstEntry < idx.length && idx.firstRow[firstEntry]! + idx.rows[firstEntry]! <= drop) firstEntry++;
    const cut = firstEntry < idx.length && idx.firstRow[firstEntry]! < drop;
    let fromMs = Number.POSITIVE_INFINITY;
    let toMs = Number.NEGATIVE_INFINITY;
    for (let e = 0; e < firstEntry + (cut ? 1 : 0); e++) {
      fromMs = Math.min(fromMs, idx.time[e]!);
      toMs = Math.max(toMs, idx.time[e]!);
    }
    const { replaces: _r, firstRequestRows: carried, ...rest } = this.header;
    const header: SegmentHeader = { ...rest, replaces: this.base };
    // The first kept request is cut now, or was cut by an earlier compaction and still leads.
    if (cut) header.firstRequestRows = firstEntry === 0 && carried !== undefined ? carried : idx.rows[firstEntry]!;
    else if (firstEntry === 0 && carried !== undefined) header.firstRequestRows = carried;
    // Same seq (the log's order), a name that differs from the replaced one's.
    const oldStart = parseSegmentName(this.base + SEGMENT_EXT)?.startTimeMs ?? 0;
    const firstKept = firstEntry < idx.length ? Math.floor(idx.time[firstEntry]!) : oldStart;
    const base = segmentBaseName(Math.max(firstKept, oldStart + 1), this.seq);
    const keptRows = this.rows - drop;
    const keptEntries = idx.length - firstEntry;
    return {
      seg: this,
      drop,
      firstEntry,
      base,
      header,
      keptRows,
      bytes: encodeSegmentHeader(header).length + keptRows * this.recordSize + INDEX_HEADER_BYTES + keptEntries * INDEX_ENTRY_BYTES,
      fromMs: Number.isFinite(fromMs) ? fromMs : null,
      toMs: Number.isFinite(toMs) ? toMs : null,
    };
  }

  /**
   * Carries out a compaction, crash-safe: the kept records and their index are
   * written to temp files and fsynced; the index is renamed into place (a lone
   * index is ignored), then the records file — the commit: from then on the new
   * segment replaces the old one on every load — and only then are the old files
   * deleted. The caller holds the registry lock and the log's queue.
   */
  static async compact(c: Compaction): Promise<Segment> {
    const old = c.seg;
    const dir = old.dir;
    await old.close();
    const idx = old.index;
    const entries: IndexEntry[] = [];
    for (let e = c.firstEntry; e < idx.length; e++) {
      const entry = idx.entry(e);
      if (entry.firstRow < c.drop) {
        // The cut request: its kept rows, with their flags and labels recounted.
        const end = entry.firstRow + entry.rows;
        const counts = countFlags(await old.readRecords(c.drop, end), end - c.drop, old.header.features.length);
        entries.push({ ...entry, firstRow: 0, rows: end - c.drop, ...counts });
      } else entries.push({ ...entry, firstRow: entry.firstRow - c.drop });
    }
    const glpPath = join(dir, c.base + SEGMENT_EXT);
    const glrPath = join(dir, c.base + INDEX_EXT);
    const tmp = `${glpPath}.tmp-${process.pid}`;
    const fh = await open(tmp, 'w');
    try {
      const head = encodeSegmentHeader(c.header);
      await writeFully(fh, head, 0);
      const src = await open(old.glpPath, 'r');
      try {
        const slice = Math.max(1, Math.floor(COPY_SLICE_BYTES / old.recordSize));
        for (let r = c.drop; r < old.rows; r += slice) {
          const r1 = Math.min(old.rows, r + slice);
          const want = (r1 - r) * old.recordSize;
          const buf = await readAt(src, old.dataStart + r * old.recordSize, want);
          if (buf.length < want)
            throw new GreenLensError('corrupt', `Prediction log segment ${old.base} shrank while it was compacted.`, { file: old.glpPath });
          await writeFully(fh, buf, head.length + (r - c.drop) * old.recordSize);
        }
      } finally {
        await src.close();
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await writeAtomic(glrPath, Buffer.concat([encodeIndexHeader(), encodeIndexEntries(entries)]));
    await syncDir(dir);
    await rename(tmp, glpPath);
    await syncDir(dir);
    await old.remove();
    await syncDir(dir);
    return Segment.load(dir, c.base, old.seq);
  }

  /**
   * True when another process changed the files since this segment was loaded or
   * last written here (size, inode or modification time differ). Appending from a
   * stale position would overwrite its records, so the log reloads such a segment
   * before every append; the caller holds the registry lock, so nobody writes between
   * this check and the append.
   */
  async changedOnDisk(): Promise<boolean> {
    return (await diskStamp(this.dir, this.base)) !== this.stamp;
  }

  /**
   * Appends encoded batches (one request each): all records in one write, then the
   * index entries that commit them in one write, then fsync of both. A crash before
   * an entry is on disk leaves records that load() discards as uncommitted, so each
   * request is all-or-nothing; of several, a prefix may survive.
   */
  /**
   * `progress(rows, total)` is called as records are encoded and written, in
   * slices, so a large request's logging shows movement; it may throw to cancel
   * (what was written is an uncommitted tail, cut before the next write).
   */
  async append(items: readonly PendingBatch[], progress?: (rows: number, total: number) => void): Promise<void> {
    if (items.length === 0) return;
    const w = await this.openWriter();
    if (this.needsRepair) await this.repair(w);
    let total = 0;
    for (const it of items) total += it.rows;
    const glpAt = this.dataStart + this.rows * this.recordSize;
    const slice = Math.max(1, Math.floor(APPEND_SLICE_BYTES / this.recordSize));
    // Two buffers: a slice is encoded into one while the other's write is in flight.
    const buffers = [0, 1].map(() => {
      const records = Buffer.allocUnsafe(Math.min(total, slice) * this.recordSize);
      return { records, dv: new DataView(records.buffer, records.byteOffset, records.byteLength) };
    });
    let turn = 0;
    const entries: IndexEntry[] = [];
    let row = this.rows;
    let encoded = 0;
    let written = 0;
    let inFlight: { write: Promise<void>; rows: number } | null = null;
    const settle = async (): Promise<void> => {
      if (!inFlight) return;
      const { write, rows } = inFlight;
      inFlight = null;
      await write;
      written += rows;
      progress?.(written, total);
    };
    try {
      for (const it of items) {
        const counts = { anomalies: 0, labelled: 0 };
        for (let r0 = 0; r0 < it.rows; r0 += slice) {
          const r1 = Math.min(it.rows, r0 + slice);
          const { records, dv } = buffers[turn]!;
          turn = 1 - turn;
          const c = encodeBatchInto(r0 === 0 && r1 === it.rows ? it.batch : sliceBatch(it.batch, r0, r1), it.requestId, dv, 0);
          counts.anomalies += c.anomalies;
          counts.labelled += c.labelled;
          // The previous slice's write ends before this one starts (its buffer is encoded into next).
          await settle();
          const write = writeFully(w.glp, records.subarray(0, (r1 - r0) * this.recordSize), glpAt + encoded * this.recordSize);
          // Awaited by settle(); a failure must not surface as unhandled meanwhile.
          write.catch(() => undefined);
          inFlight = { write, rows: r1 - r0 };
          encoded += r1 - r0;
        }
        entries.push({
          time: it.batch.time,
          firstRow: row,
          rows: it.rows,
          requestId: it.requestId,
          latencyMs: Math.fround(it.batch.latencyMs),
          ...counts,
        });
        row += it.rows;
      }
      await settle();
    } catch (error) {
      // No write may land after the repair that cuts this tail.
      await inFlight?.write.catch(() => undefined);
      this.needsRepair = true;
      throw error;
    }
    const index = encodeIndexEntries(entries);
    const glrAt = INDEX_HEADER_BYTES + this.index.length * INDEX_ENTRY_BYTES;
    try {
      await writeFully(w.glr, index, glrAt);
      await w.glp.datasync();
      await w.glr.datasync();
    } catch (error) {
      // Whatever reached the disk is now an uncommitted tail; cut it before the next write.
      this.needsRepair = true;
      throw error;
    }
    for (const e of entries) this.index.push(e);
    this.glpBytes = glpAt + total * this.recordSize;
    this.glrBytes = glrAt + index.length;
    this.stamp = await diskStamp(this.dir, this.base);
  }

  /** Raw records [r0, r1). */
  async readRecords(r0: number, r1: number): Promise<Buffer> {
    const fh = await open(this.glpPath, 'r').catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      throw new GreenLensError('corrupt', `Prediction log segment ${this.base} was removed while it was being read (a prune).`, {
        file: this.glpPath,
        hint: 'Read again: the log reloads its segments first.',
      });
    });
    try {
      return await readAt(fh, this.dataStart + r0 * this.recordSize, (r1 - r0) * this.recordSize);
    } finally {
      await fh.close();
    }
  }

  async close(): Promise<void> {
    const w = this.writer;
    this.writer = null;
    if (w) await Promise.all([w.glp.close(), w.glr.close()]);
  }

  async remove(): Promise<void> {
    await this.close();
    // Records first: a lone index is ignored on open, a lone record file would be re-indexed.
    await unlink(this.glpPath);
    await unlink(this.glrPath).catch(ignoreMissing);
  }

  private async openWriter(): Promise<{ glp: FileHandle; glr: FileHandle }> {
    if (this.writer) return this.writer;
    const glp = await open(this.glpPath, 'r+');
    let glr: FileHandle;
    try {
      glr = await open(this.glrPath, 'r+').catch(async (error: unknown) => {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
        // A lost index is rebuilt in memory on load and written afresh by repair().
        this.glrBytes = 0;
        this.needsRepair = true;
        return open(this.glrPath, 'w+');
      });
    } catch (error) {
      await glp.close();
      throw error;
    }
    this.writer = { glp, glr };
    return this.writer;
  }

  /**
   * Cuts the torn or uncommitted tail and rewrites the index to match memory. A lost
   * index is written whole to a temp file and renamed: written in place, a crash
   * halfway would leave a short index that discards the records it does not cover.
   */
  private async repair(w: { glp: FileHandle; glr: FileHandle }): Promise<void> {
    const idx = this.index;
    const rebuildAll = this.glrBytes < INDEX_HEADER_BYTES;
    if (rebuildAll) {
      const all: IndexEntry[] = [];
      for (let i = 0; i < idx.length; i++) all.push(idx.entry(i));
      await writeAtomic(this.glrPath, Buffer.concat([encodeIndexHeader(), encodeIndexEntries(all)]));
      await syncDir(this.dir);
      await w.glr.close();
      w.glr = await open(this.glrPath, 'r+');
    }
    const glpSize = this.dataStart + this.rows * this.recordSize;
    await w.glp.truncate(glpSize);
    if (!rebuildAll) {
      const keepEntries = this.trimmedLastEntry ? idx.length - 1 : idx.length;
      await w.glr.truncate(INDEX_HEADER_BYTES + keepEntries * INDEX_ENTRY_BYTES);
      const tail: IndexEntry[] = [];
      for (let i = keepEntries; i < idx.length; i++) tail.push(idx.entry(i));
      await writeFully(w.glr, encodeIndexEntries(tail), INDEX_HEADER_BYTES + keepEntries * INDEX_ENTRY_BYTES);
    }
    await w.glp.datasync();
    await w.glr.datasync();
    this.glpBytes = glpSize;
    this.glrBytes = INDEX_HEADER_BYTES + idx.length * INDEX_ENTRY_BYTES;
    this.needsRepair = false;
    this.trimmedLastEntry = false;
    this.tornRecords = 0;
  }

  private async loadIndex(fh: FileHandle, glr: Buffer, glrPath: string, wholeRecords: number): Promise<void> {
    const problem = checkIndexHeader(glr);
    if (problem) {
      throw new GreenLensError('corrupt', `Prediction log index ${this.base}${INDEX_EXT} is unreadable: ${problem}.`, {
        file: glrPath,
        hint: 'Delete this .glr file; it is rebuilt from its .glp records on the next open.',
      });
    }
    const idx = this.index;
    idx.pushEncoded(glr, INDEX_HEADER_BYTES, Math.floor((glr.length - INDEX_HEADER_BYTES) / INDEX_ENTRY_BYTES));
    let expectedFirst = 0;
    for (let i = 0; i < idx.length; i++) {
      if (idx.firstRow[i] !== expectedFirst || idx.rows[i] === 0) {
        throw new GreenLensError('corrupt', `Prediction log index ${this.base}${INDEX_EXT} is inconsistent at entry ${i}.`, {
          file: glrPath,
          hint: 'Delete this .glr file; it is rebuilt from its .glp records on the next open.',
        });
      }
      const end = expectedFirst + idx.rows[i]!;
      if (end > wholeRecords) {
        // Only an externally truncated file gets here (appends write records before
        // the entry): keep the whole records that survive and recount their flags.
        const e = idx.entry(i);
        const kept = wholeRecords - e.firstRow;
        idx.truncate(i);
        if (kept > 0) {
          const counts = countFlags(
            await readAt(fh, this.dataStart + e.firstRow * this.recordSize, kept * this.recordSize),
            kept,
            this.header.features.length,
          );
          idx.push({ ...e, rows: kept, ...counts });
          this.trimmedLastEntry = true;
        }
        return;
      }
      expectedFirst = end;
    }
  }

  /**
   * Recovery for a missing index: one entry per run of records sharing a request id
   * and latency. The request time is not stored per record, so the run's first
   * reading time stands in for it.
   */
  private async rebuildIndex(fh: FileHandle, wholeRecords: number): Promise<void> {
    if (wholeRecords === 0) return;
    const buf = await readAt(fh, this.dataStart, wholeRecords * this.recordSize);
    const size = this.recordSize;
    let start = 0;
    let anomalies = 0;
    let labelled = 0;
    for (let i = 0; i < wholeRecords; i++) {
      const o = i * size;
      if (
        i > start &&
        (buf.readUInt32LE(o + 8) !== buf.readUInt32LE(start * size + 8) || buf.readFloatLE(o + 12) !== buf.readFloatLE(start * size + 12))
      ) {
        this.pushRun(buf, start, i, anomalies, labelled);
        start = i;
        anomalies = 0;
        labelled = 0;
      }
      anomalies += buf[o + 20]! ? 1 : 0;
      if (buf.readInt8(o + 21) >= 0) labelled++;
    }
    this.pushRun(buf, start, wholeRecords, anomalies, labelled);
  }

  private pushRun(buf: Buffer, start: number, end: number, anomalies: number, labelled: number): void {
    const o = start * this.recordSize;
    this.index.push({
      time: buf.readDoubleLE(o),
      firstRow: start,
      rows: end - start,
      requestId: buf.readUInt32LE(o + 8),
      latencyMs: buf.readFloatLE(o + 12),
      anomalies,
      labelled,
    });
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) return buf.subarray(0, done);
    done += bytesRead;
  }
  return buf;
}

async function readWhole(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    return await readAt(fh, 0, (await fh.stat()).size);
  } finally {
    await fh.close();
  }
}

async function writeFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

async function writeAtomic(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    await writeFully(fh, data, 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/** Inode, size and modification time (ns) of both files; "-" for a missing one. */
async function diskStamp(dir: string, base: string): Promise<string> {
  const one = async (path: string): Promise<string> => {
    try {
      const st = await stat(path, { bigint: true });
      return `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return '-';
      throw error;
    }
  };
  return `${await one(join(dir, base + SEGMENT_EXT))}|${await one(join(dir, base + INDEX_EXT))}`;
}

export async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | null = null;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

export function ignoreMissing(error: unknown): void {
  if ((error as { code?: string }).code !== 'ENOENT') throw error;
}

export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
