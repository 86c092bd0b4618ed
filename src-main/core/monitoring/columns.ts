/**
 * Column-oriented view of logged predictions, as returned by the prediction log.
 *
 * Rows are grouped by request in log order: the first `requests.rows[0]` rows belong
 * to request 0, the next `requests.rows[1]` to request 1, and so on. That invariant
 * lets metrics give every reading its request's time and count latency once per
 * request.
 */

export interface ModelVersionRef {
  model: string;
  version: string;
}

/** One entry per scoring request (per appended batch) touched by a read. */
export interface RequestColumns {
  length: number;
  /** Request time, epoch ms. */
  time: Float64Array;
  /** f32-rounded as stored, widened so latency maths needs no conversion. */
  latencyMs: Float64Array;
  /** Rows of this request included in the read (a window edge can cut a request). */
  rows: Uint32Array;
  /** Readings of the whole request, as scored (uncut): decides online vs batch and the latency per reading. */
  requestRows: Uint32Array;
  /** Flagged readings among those rows. */
  anomalies: Uint32Array;
  /** Readings with a known label (≥ 0) among those rows. */
  labelled: Uint32Array;
  /** FNV-1a hash of the request id (see `requestIdHash`). */
  requestId: Uint32Array;
  versionIndex: Uint16Array;
  /** Per request: 0 champion, 1 challenger, 2 shadow (the index into ARMS; logs from before A/B read 0). */
  arm: Uint8Array;
}

export interface PredictionColumns {
  length: number;
  /** Reading time, epoch ms (the batch's rowTimes, else its request time). */
  time: Float64Array;
  /** The latency of the request each reading belonged to (repeated per reading). */
  latencyMs: Float32Array;
  score: Float32Array;
  flag: Uint8Array;
  /** -1 unknown, 0 normal, 1 anomaly. */
  label: Int8Array;
  requestId: Uint32Array;
  /** Per row: index into `versions`. */
  versionIndex: Uint16Array;
  /** Per row: 0 unknown, k the registry's k-th building (see PredictionBatch.buildingSlots). */
  building: Uint16Array;
  /** Per row: 0 champion, 1 challenger, 2 shadow (the index into ARMS; logs from before A/B read 0). */
  arm: Uint8Array;
  /** Distinct model versions in the read, in log order. */
  versions: ModelVersionRef[];
  /** Requested feature columns; NaN where a row's segment lacks the feature. */
  features: Record<string, Float64Array>;
  requests: RequestColumns;
}

export function allocateRequests(n: number): RequestColumns {
  return {
    length: n,
    time: new Float64Array(n),
    latencyMs: new Float64Array(n),
    rows: new Uint32Array(n),
    requestRows: new Uint32Array(n),
    anomalies: new Uint32Array(n),
    labelled: new Uint32Array(n),
    requestId: new Uint32Array(n),
    versionIndex: new Uint16Array(n),
    arm: new Uint8Array(n),
  };
}

export function allocateColumns(rows: number, requests: number, featureNames: readonly string[]): PredictionColumns {
  const features: Record<string, Float64Array> = {};
  for (const name of featureNames) features[name] = new Float64Array(rows).fill(Number.NaN);
  return {
    length: rows,
    time: new Float64Array(rows),
    latencyMs: new Float32Array(rows),
    score: new Float32Array(rows),
    flag: new Uint8Array(rows),
    label: new Int8Array(rows),
    requestId: new Uint32Array(rows),
    versionIndex: new Uint16Array(rows),
    building: new Uint16Array(rows),
    arm: new Uint8Array(rows),
    versions: [],
    features,
    requests: allocateRequests(requests),
  };
}

/** Index of (model, version) in `list`, appending it when new. */
export function versionSlot(list: ModelVersionRef[], model: string, version: string): number {
  const i = list.findIndex((v) => v.model === model && v.version === version);
  if (i >= 0) return i;
  list.push({ model, version });
  return list.length - 1;
}
