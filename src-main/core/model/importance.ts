import { createRng } from '../data/rng';
import { featureShares } from './explain';
import { scoreSamples } from './isolation-forest';
import type { IForestModel } from './types';

/** Rows the importance is measured on: enough for stable means, cheap enough for every training. */
export const IMPORTANCE_ROWS = 2_000;

export interface GlobalImportance {
  /** Mean explanation share per feature (model.features order) over the flagged rows; sums to 1. */
  attribution: Float64Array;
  /** Rows the attribution averages over (the flagged ones, else all). */
  flagged: number;
  /** Mean |Δ anomaly score| when the feature's column is shuffled (seeded), per feature. */
  permutation: Float64Array;
  rows: number;
}

/**
 * Global feature importance of a forest over evaluation rows (the holdout, or
 * the training rows when none is held out), as the forest sees them: the mean
 * of the per-reading explanation shares over the rows it flags (what drives
 * its flags), and permutation importance of the anomaly score over all rows. At most IMPORTANCE_ROWS rows, drawn with `seed`, and the
 * shuffles use the same seed: the same data and seed give the same figures.
 */
export function globalImportance(model: IForestModel, columns: readonly Float64Array[], seed: number): GlobalImportance {
  const nf = model.features.length;
  const n = columns[0]?.length ?? 0;
  const rng = createRng(seed ^ 0x1f0a7);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rows = order.slice(0, Math.min(n, IMPORTANCE_ROWS)).sort((a, b) => a - b);
  const sample = columns.map((c) => Float64Array.from(rows, (r) => c[r]!));
  const m = rows.length;
  const attribution = new Float64Array(nf);
  const permutation = new Float64Array(nf);
  if (m === 0) return { attribution, permutation, rows: 0, flagged: 0 };
  const base = scoreSamples(model, sample);
  // Attribution explains flags: averaged over the rows the model flags (all rows when it flags none).
  let explained = rows.map((_, i) => i).filter((i) => base[i]! > model.threshold);
  if (explained.length === 0) explained = rows.map((_, i) => i);
  const row = new Float64Array(nf);
  for (const i of explained) {
    for (let f = 0; f < nf; f++) row[f] = sample[f]![i]!;
    const shares = featureShares(model, row);
    for (let f = 0; f < nf; f++) attribution[f]! += shares[f]! / explained.length;
  }
  for (let f = 0; f < nf; f++) {
    const shuffled = Float64Array.from(sample[f]!);
    for (let i = m - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = shuffled[i]!;
      shuffled[i] = shuffled[j]!;
      shuffled[j] = t;
    }
    const permuted = sample.map((c, k) => (k === f ? shuffled : c));
    const scores = scoreSamples(model, permuted);
    let sum = 0;
    for (let i = 0; i < m; i++) sum += Math.abs(scores[i]! - base[i]!);
    permutation[f] = sum / m;
  }
  return { attribution, permutation, rows: m, flagged: explained.length };
}

/** As version metrics (additive: versions without them still load): `importance_<f>` and `permutationImportance_<f>`. */
export function importanceMetrics(model: IForestModel, imp: GlobalImportance): Record<string, number> {
  const out: Record<string, number> = {};
  model.features.forEach((f, j) => {
    out[`importance_${f}`] = Number(imp.attribution[j]!.toFixed(6));
    out[`permutationImportance_${f}`] = Number(imp.permutation[j]!.toFixed(6));
  });
  return out;
}
