import { OPTION_HINTS } from '../../core/data/csv-import';
import { createHash } from 'node:crypto';
import { GreenLensError } from '../../contract';
import { createRng } from '../../core/data/rng';

/**
 * Splits training data into the rows the forest is fitted on and, when a
 * label exists, a held-out set for precision/recall. Rows with a missing or
 * infinite feature value cannot be fitted (an isolation tree needs a min and
 * max) and are left out and counted.
 */
export interface TrainingSplit {
  /** Feature columns of the fitting rows, in feature order. */
  train: Float64Array[];
  /** Labels of the fitting rows (NaN unknown), when there is a label. */
  trainLabels: Float64Array | null;
  /** Group codes (ids) of the fitting rows, when groups were given. */
  trainGroups: Int32Array | null;
  /** Held-out rows with a known label; null when nothing is held out. */
  holdout: { columns: Float64Array[]; labels: Float64Array; groups: Int32Array | null } | null;
  droppedRows: number;
}

export function splitTraining(
  columns: readonly Float64Array[],
  labels: Float64Array | null,
  holdoutShare: number,
  seed: number,
  groups: Int32Array | null = null,
): TrainingSplit {
  const n = columns[0]?.length ?? 0;
  const usable: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (const c of columns) if (!Number.isFinite(c[i]!)) ok = false;
    if (ok) usable.push(i);
  }
  const droppedRows = n - usable.length;
  // Only labelled rows can be held out: unlabelled ones would measure nothing.
  const labelled = labels ? usable.filter((i) => !Number.isNaN(labels[i]!)) : [];
  const holdCount = labels && holdoutShare > 0 ? Math.floor(labelled.length * holdoutShare) : 0;
  const held = new Uint8Array(n);
  if (holdCount > 0) {
    // Seeded partial Fisher–Yates: the same seed holds out the same rows.
    const rng = createRng(seed ^ 0x5eed);
    for (let k = 0; k < holdCount; k++) {
      const j = k + rng.int(labelled.length - k);
      [labelled[k], labelled[j]] = [labelled[j]!, labelled[k]!];
      held[labelled[k]!] = 1;
    }
  }
  const fitRows = usable.filter((i) => !held[i]);
  if (fitRows.length < 2) {
    throw new GreenLensError(
      'invalid_input',
      `Training needs at least 2 rows with every feature present; this data has ${fitRows.length}` +
        `${droppedRows ? ` (${droppedRows} rows have a missing feature value)` : ''}${holdCount ? ` after holding out ${holdCount}` : ''}.`,
      {
        field: 'datasetId',
        hint: `Use more data, lower the holdout (--holdout), or fill missing values at import: ${OPTION_HINTS.missing}.`,
      },
    );
  }
  const pick = (rows: number[], col: Float64Array): Float64Array => Float64Array.from(rows, (i) => col[i]!);
  const pickGroups = (rows: number[]): Int32Array | null => (groups ? Int32Array.from(rows, (i) => groups[i]!) : null);
  const heldRows = holdCount > 0 ? usable.filter((i) => held[i]) : [];
  return {
    train: columns.map((c) => pick(fitRows, c)),
    trainLabels: labels ? pick(fitRows, labels) : null,
    trainGroups: pickGroups(fitRows),
    holdout: heldRows.length
      ? { columns: columns.map((c) => pick(heldRows, c)), labels: pick(heldRows, labels!), groups: pickGroups(heldRows) }
      : null,
    droppedRows,
  };
}

/** sha256 of the columns' bytes in order (views hashed over their own window, not the whole buffer). */
export function hashColumns(columns: readonly Float64Array[]): string {
  const h = createHash('sha256');
  for (const c of columns) h.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  return h.digest('hex');
}

// Scores and labels of the labelled rows; defined beside the score summary, which a scoring thread also computes.
export { knownLabels } from './score-stats';

/** A feature whose present values are all one number: it cannot isolate anything. */
export interface ConstantFeature {
  name: string;
  value: number;
  rows: number;
}

/** The features (by index into `columns`) whose finite values are all equal; all-missing columns are not constant. */
export function constantFeatures(names: readonly string[], columns: readonly Float64Array[]): ConstantFeature[] {
  const out: ConstantFeature[] = [];
  columns.forEach((c, j) => {
    let first = NaN;
    let rows = 0;
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v)) continue;
      if (rows === 0) first = v;
      else if (v !== first) return;
      rows++;
    }
    if (rows > 0) out.push({ name: names[j]!, value: first, rows });
  });
  return out;
}
