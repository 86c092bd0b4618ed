import { GreenLensError } from '../../contract/shared/errors';
import type { PredictionColumns } from './columns';
import type { Arm } from '../../contract/shared/ab';
import { RECORD_BASE_BYTES, recordBytes } from './segment-format';

/** One scoring request's readings, as handed to `PredictionLog.append`. */
export interface PredictionBatch {
  model: string;
  version: string;
  features: string[];
  requestId: string;
  /** Epoch ms of the request. */
  time: number;
  /** Wall time of the whole request; every reading of the request logs it. */
  latencyMs: number;
  scores: Float64Array;
  flags: Uint8Array;
  /** -1 unknown, 0 normal, 1 anomaly. */
  labels?: Int8Array;
  /** Column-major: one array per feature, in `features` order. */
  values: Float64Array[];
  /** Per-reading time; defaults to `time`. */
  rowTimes?: Float64Array;
  /**
   * Per-reading building: 0 unknown, k the registry's k-th building name
   * (`predictions/buildings.json`, kept by the backend). Stored in the record's
   * spare u16, so logs written before it read as "unknown".
   */
  buildingSlots?: Uint16Array;
  /** The arm that produced these predictions (A/B and shadow); default champion. Kept in the segment header. */
  arm?: Arm;
}

/** Throws `invalid_input` naming the offending field; returns the row count. */
export function validateBatch(b: PredictionBatch): number {
  const bad = (field: string, message: string): never => {
    throw new GreenLensError('invalid_input', message, { field });
  };
  if (typeof b.model !== 'string' || b.model.length === 0) bad('model', 'Prediction batch needs a model name.');
  if (typeof b.version !== 'string' || b.version.length === 0) bad('version', 'Prediction batch needs a model version.');
  if (typeof b.requestId !== 'string') bad('requestId', 'Prediction batch needs a request id.');
  if (!Number.isFinite(b.time) || b.time < 0) bad('time', `Request time must be a non-negative epoch ms, got ${b.time}.`);
  if (!Number.isFinite(b.latencyMs) || b.latencyMs < 0)
    bad('latencyMs', `Latency must be a non-negative number of ms, got ${b.latencyMs}.`);
  if (!Array.isArray(b.features)) bad('features', 'Prediction batch needs a feature list.');
  if (new Set(b.features).size !== b.features.length || b.features.some((f) => typeof f !== 'string' || f.length === 0)) {
    bad('features', 'Feature names must be unique, non-empty strings.');
  }
  const n = b.scores.length;
  if (b.flags.length !== n) bad('flags', `Expected ${n} flags (one per score), got ${b.flags.length}.`);
  if (b.labels && b.labels.length !== n) bad('labels', `Expected ${n} labels, got ${b.labels.length}.`);
  if (b.rowTimes && b.rowTimes.length !== n) bad('rowTimes', `Expected ${n} row times, got ${b.rowTimes.length}.`);
  if (b.arm !== undefined && b.arm !== 'champion' && b.arm !== 'challenger' && b.arm !== 'shadow')
    bad('arm', `The arm must be champion, challenger or shadow, got ${String(b.arm)}.`);
  if (b.buildingSlots && b.buildingSlots.length !== n) bad('buildingSlots', `Expected ${n} building slots, got ${b.buildingSlots.length}.`);
  if (b.values.length !== b.features.length)
    bad('values', `Expected ${b.features.length} value columns (one per feature), got ${b.values.length}.`);
  b.values.forEach((col, j) => {
    if (col.length !== n) bad(`values.${j}`, `Feature ${b.features[j]} has ${col.length} values for ${n} scores.`);
  });
  if (b.labels) {
    for (let i = 0; i < n; i++) {
      const l = b.labels[i]!;
      if (l < -1 || l > 1) bad(`labels.${i}`, `Labels must be -1 (unknown), 0 or 1, got ${l}.`);
    }
  }
  return n;
}

/**
 * Encodes a validated batch at byte `offset` of `dv`, so any number of batches can
 * share one buffer and go to disk in a single write. Returns the counts the index keeps.
 */
export function encodeBatchInto(
  b: PredictionBatch,
  requestId: number,
  dv: DataView,
  offset: number,
): { anomalies: number; labelled: number } {
  if (LITTLE_ENDIAN && (dv.byteOffset + offset) % 4 === 0) return encodeWords(b, requestId, dv, offset);
  const n = b.scores.length;
  const nf = b.features.length;
  const size = recordBytes(nf);
  let anomalies = 0;
  let labelled = 0;
  for (let i = 0; i < n; i++) {
    const o = offset + i * size;
    const flag = b.flags[i]! ? 1 : 0;
    const label = b.labels ? b.labels[i]! : -1;
    anomalies += flag;
    if (label >= 0) labelled++;
    dv.setFloat64(o, b.rowTimes ? b.rowTimes[i]! : b.time, true);
    dv.setUint32(o + 8, requestId, true);
    dv.setFloat32(o + 12, b.latencyMs, true);
    dv.setFloat32(o + 16, b.scores[i]!, true);
    dv.setUint8(o + 20, flag);
    dv.setInt8(o + 21, label);
    dv.setUint16(o + 22, b.buildingSlots ? b.buildingSlots[i]! : 0, true);
    for (let j = 0; j < nf; j++) dv.setFloat32(o + RECORD_BASE_BYTES + 4 * j, b.values[j]![i]!, true);
  }
  return { anomalies, labelled };
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/** A float64's two 32-bit words (little-endian here), to store a time at a record's 4-byte-aligned start. */
const time64 = new Float64Array(1);
const time32 = new Uint32Array(time64.buffer);

/**
 * encodeBatchInto on a little-endian machine with the records 4-byte aligned:
 * the same bytes written through 32-bit views, a record being whole words,
 * rather than a DataView call per field (logging 876,000 readings spent most
 * of its time in those calls). A NaN is written through the DataView, so its
 * bits are exactly what the DataView writes.
 */
function encodeWords(b: PredictionBatch, requestId: number, dv: DataView, offset: number): { anomalies: number; labelled: number } {
  const n = b.scores.length;
  const nf = b.features.length;
  const size = recordBytes(nf);
  const words = size / 4;
  const f32 = new Float32Array(dv.buffer, dv.byteOffset + offset, n * words);
  const u32 = new Uint32Array(dv.buffer, dv.byteOffset + offset, n * words);
  const { scores, flags, labels, rowTimes, buildingSlots, values } = b;
  const latency = Math.fround(b.latencyMs);
  let anomalies = 0;
  let labelled = 0;
  for (let i = 0, w = 0; i < n; i++, w += words) {
    const o = offset + i * size;
    const flag = flags[i]! ? 1 : 0;
    const label = labels ? labels[i]! : -1;
    anomalies += flag;
    if (label >= 0) labelled++;
    const t = rowTimes ? rowTimes[i]! : b.time;
    if (t === t) {
      time64[0] = t;
      u32[w] = time32[0]!;
      u32[w + 1] = time32[1]!;
    } else dv.setFloat64(o, t, true);
    u32[w + 2] = requestId;
    f32[w + 3] = latency;
    const score = scores[i]!;
    if (score === score) f32[w + 4] = score;
    else dv.setFloat32(o + 16, score, true);
    // Bytes 20–23: flag (u8), label (i8), building slot (u16).
    u32[w + 5] = (flag | ((label & 0xff) << 8) | ((buildingSlots ? buildingSlots[i]! : 0) << 16)) >>> 0;
    for (let j = 0; j < nf; j++) {
      const v = values[j]![i]!;
      if (v === v) f32[w + 6 + j] = v;
      else dv.setFloat32(o + RECORD_BASE_BYTES + 4 * j, v, true);
    }
  }
  return { anomalies, labelled };
}

/** Rows [r0, r1) of a batch as views (no copy), for encoding a large request in slices. */
export function sliceBatch(b: PredictionBatch, r0: number, r1: number): PredictionBatch {
  return {
    ...b,
    scores: b.scores.subarray(r0, r1),
    flags: b.flags.subarray(r0, r1),
    values: b.values.map((v) => v.subarray(r0, r1)),
    ...(b.labels ? { labels: b.labels.subarray(r0, r1) } : {}),
    ...(b.rowTimes ? { rowTimes: b.rowTimes.subarray(r0, r1) } : {}),
    ...(b.buildingSlots ? { buildingSlots: b.buildingSlots.subarray(r0, r1) } : {}),
  };
}

/**
 * Decodes `rows` records from `buf` into `out` starting at row `at`.
 * `featureTargets[j]` is the output column for the segment's feature j, or null to skip it.
 */
export function decodeRecords(
  buf: Buffer,
  rows: number,
  nFeatures: number,
  out: PredictionColumns,
  at: number,
  versionIndex: number,
  featureTargets: ReadonlyArray<Float64Array | null>,
  arm = 0,
): void {
  const size = recordBytes(nFeatures);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const { time, latencyMs, score, flag, label, requestId, building } = out;
  for (let i = 0; i < rows; i++) {
    const o = i * size;
    const r = at + i;
    time[r] = dv.getFloat64(o, true);
    requestId[r] = dv.getUint32(o + 8, true);
    latencyMs[r] = dv.getFloat32(o + 12, true);
    score[r] = dv.getFloat32(o + 16, true);
    flag[r] = dv.getUint8(o + 20);
    label[r] = dv.getInt8(o + 21);
    building[r] = dv.getUint16(o + 22, true);
  }
  out.versionIndex.fill(versionIndex, at, at + rows);
  out.arm.fill(arm, at, at + rows);
  for (let j = 0; j < nFeatures; j++) {
    const target = featureTargets[j];
    if (!target) continue;
    const base = RECORD_BASE_BYTES + 4 * j;
    for (let i = 0; i < rows; i++) target[at + i] = dv.getFloat32(i * size + base, true);
  }
}

/** Flag bytes of `rows` records (for recounting anomalies when an index entry is trimmed). */
export function countFlags(buf: Buffer, rows: number, nFeatures: number): { anomalies: number; labelled: number } {
  const size = recordBytes(nFeatures);
  let anomalies = 0;
  let labelled = 0;
  for (let i = 0; i < rows; i++) {
    anomalies += buf[i * size + 20]! ? 1 : 0;
    if (buf.readInt8(i * size + 21) >= 0) labelled++;
  }
  return { anomalies, labelled };
}
