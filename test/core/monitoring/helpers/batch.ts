import type { PredictionBatch } from '../../../../src-main/core/monitoring/prediction-log';

export const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'hvac_kw'];

/** Rows in batch k: varies so batches straddle segment limits at different offsets. */
export function rowsOf(k: number): number {
  return 1 + ((k * 7) % 23);
}

/** Feature j of row i in batch k: exactly representable in f32 so round trips compare with ===. */
export function valueOf(k: number, i: number, j: number): number {
  return k * 100 + i + j / 4;
}

/** A deterministic batch: request time k·1000 ms, latency from k, every third row flagged. */
export function makeBatch(k: number, over: Partial<PredictionBatch> = {}): PredictionBatch {
  const n = over.scores?.length ?? rowsOf(k);
  const features = over.features ?? FEATURES;
  const scores = new Float64Array(n);
  const flags = new Uint8Array(n);
  const labels = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = 0.25 + ((k + i) % 8) / 16;
    flags[i] = (k + i) % 3 === 0 ? 1 : 0;
    labels[i] = i % 4 === 0 ? -1 : (k + i) % 2;
  }
  return {
    model: 'energy-anomaly',
    version: '1.0.0',
    features,
    requestId: `req-${k}`,
    time: k * 1000,
    latencyMs: 1 + (k % 10) * 0.5,
    scores,
    flags,
    labels,
    values: features.map((_, j) => Float64Array.from({ length: n }, (_, i) => valueOf(k, i, j))),
    ...over,
  };
}
