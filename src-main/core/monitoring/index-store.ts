import type { IndexEntry } from './segment-format';

/**
 * In-memory copy of a segment's request index, kept columnar because a log of
 * single-reading requests has one entry per reading (millions of objects otherwise).
 */
export class IndexStore {
  length = 0;
  time = new Float64Array(16);
  firstRow = new Uint32Array(16);
  rows = new Uint32Array(16);
  requestId = new Uint32Array(16);
  /** f32 values on disk; held as f64 so percentile copies are plain memcpy. */
  latencyMs = new Float64Array(16);
  anomalies = new Uint32Array(16);
  labelled = new Uint32Array(16);
  minTime = Number.POSITIVE_INFINITY;
  maxTime = Number.NEGATIVE_INFINITY;

  push(e: IndexEntry): void {
    if (this.length === this.time.length) this.grow(this.length * 2);
    const i = this.length++;
    this.time[i] = e.time;
    this.firstRow[i] = e.firstRow;
    this.rows[i] = e.rows;
    this.requestId[i] = e.requestId;
    this.latencyMs[i] = e.latencyMs;
    this.anomalies[i] = e.anomalies;
    this.labelled[i] = e.labelled;
    if (e.time < this.minTime) this.minTime = e.time;
    if (e.time > this.maxTime) this.maxTime = e.time;
  }

  /**
   * Bulk-decodes `count` 32-byte entries (layout in segment-format.ts) from `buf` at
   * `offset`; avoids one object per entry when an index holds millions.
   */
  pushEncoded(buf: Buffer, offset: number, count: number): void {
    if (this.length + count > this.time.length) this.grow(Math.max(this.length + count, this.length * 2));
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let min = this.minTime;
    let max = this.maxTime;
    for (let k = 0; k < count; k++) {
      const o = offset + k * 32;
      const i = this.length + k;
      const t = dv.getFloat64(o, true);
      this.time[i] = t;
      this.firstRow[i] = dv.getUint32(o + 8, true);
      this.rows[i] = dv.getUint32(o + 12, true);
      this.requestId[i] = dv.getUint32(o + 16, true);
      this.latencyMs[i] = dv.getFloat32(o + 20, true);
      this.anomalies[i] = dv.getUint32(o + 24, true);
      this.labelled[i] = dv.getUint32(o + 28, true);
      if (t < min) min = t;
      if (t > max) max = t;
    }
    this.length += count;
    this.minTime = min;
    this.maxTime = max;
  }

  /** Drops entries from `n` on and recomputes the time range. */
  truncate(n: number): void {
    this.length = Math.min(this.length, n);
    this.minTime = Number.POSITIVE_INFINITY;
    this.maxTime = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.length; i++) {
      const t = this.time[i]!;
      if (t < this.minTime) this.minTime = t;
      if (t > this.maxTime) this.maxTime = t;
    }
  }

  entry(i: number): IndexEntry {
    return {
      time: this.time[i]!,
      firstRow: this.firstRow[i]!,
      rows: this.rows[i]!,
      requestId: this.requestId[i]!,
      latencyMs: this.latencyMs[i]!,
      anomalies: this.anomalies[i]!,
      labelled: this.labelled[i]!,
    };
  }

  /** Rows covered by all entries (entries are contiguous from row 0). */
  get endRow(): number {
    return this.length === 0 ? 0 : this.firstRow[this.length - 1]! + this.rows[this.length - 1]!;
  }

  /** Index of the entry containing `row` (0 ≤ row < endRow). */
  entryOfRow(row: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.firstRow[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private grow(capacity: number): void {
    const grow = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.time = grow(this.time, (n) => new Float64Array(n));
    this.firstRow = grow(this.firstRow, (n) => new Uint32Array(n));
    this.rows = grow(this.rows, (n) => new Uint32Array(n));
    this.requestId = grow(this.requestId, (n) => new Uint32Array(n));
    this.latencyMs = grow(this.latencyMs, (n) => new Float64Array(n));
    this.anomalies = grow(this.anomalies, (n) => new Uint32Array(n));
    this.labelled = grow(this.labelled, (n) => new Uint32Array(n));
  }
}
