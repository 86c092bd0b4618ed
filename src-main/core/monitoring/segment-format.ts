/**
 * On-disk layout of the prediction log. Binary rather than JSON lines because the
 * log must take a million readings a second and answer "p95 over 10M" in well under
 * a second; fixed-size records make both a single buffer copy.
 *
 * A segment is two files sharing a base name `seg-<startTimeMs>-<seq>`:
 *
 * `.glp` (records), all little-endian:
 *   0  "GLPL"              magic
 *   4  u16 formatVersion   (1)
 *   6  u16 reserved
 *   8  u32 jsonLength
 *   12 JSON header         { model, version, features, createdAt, arm? }
 *   …  zero padding to a multiple of 8 (= dataStart)
 *   then records of RECORD_BASE_BYTES + 4·nFeatures bytes:
 *   0  f64 time            reading time (the batch's rowTimes, else the request time)
 *   8  u32 requestId       FNV-1a hash of the request id string
 *   12 f32 latencyMs       latency of the whole request this reading belonged to
 *   16 f32 anomalyScore
 *   20 u8  flag            1 = flagged anomalous
 *   21 i8  label           -1 unknown, 0 normal, 1 anomaly
 *   22 u16 building      0 unknown (and every record written before buildings were logged), k = the
 *                          k-th name of `predictions/buildings.json` (kept by backend/monitoring/buildings.ts)
 *   24 f32 × nFeatures     feature values
 *
 * `.glr` (request index, one entry per appended batch = per scoring request):
 *   0  "GLRI"  4 u16 formatVersion  6 u16 entryBytes   then entries of 32 bytes:
 *   0  f64 time            request time (what time-range reads and hourly trends use)
 *   8  u32 firstRow        first record of the batch in this segment
 *   12 u32 rows
 *   16 u32 requestId
 *   20 f32 latencyMs
 *   24 u32 anomalies       flagged readings in the batch
 *   28 u32 labelled        readings with label ≥ 0 (lets summaries skip record scans)
 *
 * The index entry is the commit record of a batch: records it does not cover were
 * never acknowledged and are discarded on open. It also stores the per-request
 * latency once, so latency percentiles are per request and never read the records.
 *
 * Compaction (retention reclaiming space inside a segment): the kept rows are
 * written to a new segment with the same seq and a new base name, whose header
 * names the segment it `replaces`; the rename of its `.glp` into place is the
 * commit. A loader that finds both ignores the replaced one (a writer deletes
 * it), so at every moment exactly one of the two is valid. When the cut falls
 * inside a request, the header keeps that request's whole size in
 * `firstRequestRows` (it decides online vs batch and the latency per reading).
 * Both header fields are optional; a segment without them reads as before.
 *
 * `arm` (A/B and shadow, ARCHITECTURE §4a) is the role every prediction of the
 * segment played: `challenger` or `shadow`; absent means champion, so every
 * segment written before A/B existed reads as champion, and an older reader
 * ignores the field. A batch goes only to a segment of its own arm.
 */

import { ARMS, type Arm } from '../../contract/shared/ab';

export const FORMAT_VERSION = 1;
export const RECORD_BASE_BYTES = 24;
export const INDEX_HEADER_BYTES = 8;
export const INDEX_ENTRY_BYTES = 32;
export const SEGMENT_EXT = '.glp';
export const INDEX_EXT = '.glr';

const SEGMENT_MAGIC = 'GLPL';
const INDEX_MAGIC = 'GLRI';
const FIXED_HEADER_BYTES = 12;
const MAX_HEADER_JSON_BYTES = 1 << 20;

export interface SegmentHeader {
  model: string;
  version: string;
  features: string[];
  createdAt: string;
  /** Base name of the segment this compacted one replaces. */
  replaces?: string;
  /** Readings of the whole first request, when compaction kept only its end. */
  firstRequestRows?: number;
  /** The role of every prediction here; absent = champion. */
  arm?: Exclude<Arm, 'champion'>;
}

/** The arm of a segment: 0 champion, 1 challenger, 2 shadow (the index into ARMS). */
export function armIndex(header: Pick<SegmentHeader, 'arm'>): number {
  return header.arm === undefined ? 0 : ARMS.indexOf(header.arm);
}

export interface IndexEntry {
  time: number;
  firstRow: number;
  rows: number;
  requestId: number;
  latencyMs: number;
  anomalies: number;
  labelled: number;
}

export function recordBytes(nFeatures: number): number {
  return RECORD_BASE_BYTES + 4 * nFeatures;
}

export function segmentBaseName(startTimeMs: number, seq: number): string {
  return `seg-${String(Math.max(0, Math.floor(startTimeMs))).padStart(13, '0')}-${String(seq).padStart(6, '0')}`;
}

const NAME_RE = /^seg-(\d+)-(\d+)\.glp$/;

/** Parses a `.glp` file name; null for anything else (temp files, sidecars). */
export function parseSegmentName(name: string): { base: string; startTimeMs: number; seq: number } | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  return { base: name.slice(0, -SEGMENT_EXT.length), startTimeMs: Number(m[1]), seq: Number(m[2]) };
}

/** FNV-1a over UTF-16 code units: stable across runs and processes, cheap, 32 bits. */
export function requestIdHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function encodeSegmentHeader(header: SegmentHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = align8(FIXED_HEADER_BYTES + json.length);
  const buf = Buffer.alloc(dataStart);
  buf.write(SEGMENT_MAGIC, 0, 'latin1');
  buf.writeUInt16LE(FORMAT_VERSION, 4);
  buf.writeUInt32LE(json.length, 8);
  json.copy(buf, FIXED_HEADER_BYTES);
  return buf;
}

export type HeaderParse = { ok: true; header: SegmentHeader; dataStart: number } | { ok: false; reason: string; needBytes?: number };

/** `needBytes` asks the caller to read more when the JSON did not fit the first read. */
export function decodeSegmentHeader(buf: Buffer): HeaderParse {
  if (buf.length < FIXED_HEADER_BYTES) return { ok: false, reason: 'file is shorter than the segment header' };
  if (buf.toString('latin1', 0, 4) !== SEGMENT_MAGIC) return { ok: false, reason: 'not a prediction log segment (bad magic)' };
  const formatVersion = buf.readUInt16LE(4);
  if (formatVersion > FORMAT_VERSION) {
    return { ok: false, reason: `segment format ${formatVersion} is newer than this GreenLens understands (${FORMAT_VERSION})` };
  }
  const jsonLength = buf.readUInt32LE(8);
  if (jsonLength > MAX_HEADER_JSON_BYTES) return { ok: false, reason: 'segment header is implausibly large' };
  const dataStart = align8(FIXED_HEADER_BYTES + jsonLength);
  if (buf.length < FIXED_HEADER_BYTES + jsonLength) return { ok: false, reason: 'truncated header', needBytes: dataStart };
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + jsonLength));
  } catch {
    return { ok: false, reason: 'segment header is not valid JSON' };
  }
  const header = asHeader(parsed);
  if (!header) return { ok: false, reason: 'segment header lacks model, version or features' };
  return { ok: true, header, dataStart };
}

function asHeader(value: unknown): SegmentHeader | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.model !== 'string' || typeof v.version !== 'string') return null;
  if (!Array.isArray(v.features) || !v.features.every((f): f is string => typeof f === 'string')) return null;
  const header: SegmentHeader = {
    model: v.model,
    version: v.version,
    features: v.features,
    createdAt: typeof v.createdAt === 'string' ? v.createdAt : '',
  };
  if (typeof v.replaces === 'string' && parseSegmentName(v.replaces + SEGMENT_EXT) !== null) header.replaces = v.replaces;
  if (typeof v.firstRequestRows === 'number' && Number.isInteger(v.firstRequestRows) && v.firstRequestRows > 0) {
    header.firstRequestRows = v.firstRequestRows;
  }
  if (v.arm === 'challenger' || v.arm === 'shadow') header.arm = v.arm;
  return header;
}

export function encodeIndexHeader(): Buffer {
  const buf = Buffer.alloc(INDEX_HEADER_BYTES);
  buf.write(INDEX_MAGIC, 0, 'latin1');
  buf.writeUInt16LE(FORMAT_VERSION, 4);
  buf.writeUInt16LE(INDEX_ENTRY_BYTES, 6);
  return buf;
}

export function checkIndexHeader(buf: Buffer): string | null {
  if (buf.length < INDEX_HEADER_BYTES || buf.toString('latin1', 0, 4) !== INDEX_MAGIC) return 'not a prediction log index (bad magic)';
  if (buf.readUInt16LE(6) !== INDEX_ENTRY_BYTES) return 'unexpected index entry size';
  return null;
}

export function encodeIndexEntryInto(e: IndexEntry, dv: DataView, offset: number): void {
  dv.setFloat64(offset, e.time, true);
  dv.setUint32(offset + 8, e.firstRow, true);
  dv.setUint32(offset + 12, e.rows, true);
  dv.setUint32(offset + 16, e.requestId >>> 0, true);
  dv.setFloat32(offset + 20, e.latencyMs, true);
  dv.setUint32(offset + 24, e.anomalies, true);
  dv.setUint32(offset + 28, e.labelled, true);
}

export function encodeIndexEntries(entries: readonly IndexEntry[]): Buffer {
  const buf = Buffer.alloc(entries.length * INDEX_ENTRY_BYTES);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  entries.forEach((e, i) => encodeIndexEntryInto(e, dv, i * INDEX_ENTRY_BYTES));
  return buf;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
