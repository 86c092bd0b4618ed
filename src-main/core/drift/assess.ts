import { adjustPValues } from '../stats/corrections';
import { sortFinite } from '../stats/sort';
import { measureFeature, type FeatureMeasures } from './measure';
import type { PreparedFeature } from './reference';
import { decide, type Decision, type DriftThresholds } from './rule';

/**
 * Shared core of the drift report and the drift trend: measure every feature,
 * correct the decision-test p-values across the features, then apply the rule.
 */

export interface Assessed {
  measures: FeatureMeasures;
  /** Decision-test p-value after correction (chi-square for categorical features, else KS). */
  pAdjusted: number;
  decision: Decision;
}

export interface Skipped {
  name: string;
  reason: string;
}

export function assessFeatures(
  prepared: ReadonlyArray<PreparedFeature>,
  current: Record<string, ArrayLike<number>>,
  thresholds: DriftThresholds,
  histogramBins: number,
): { assessed: Assessed[]; skipped: Skipped[] } {
  const measured: FeatureMeasures[] = [];
  const skipped: Skipped[] = [];
  for (const ref of prepared) {
    const column = current[ref.name];
    if (!column) {
      skipped.push({ name: ref.name, reason: 'not in the current data' });
      continue;
    }
    const sorted = sortFinite(column);
    if (sorted.length === 0) {
      skipped.push({ name: ref.name, reason: 'no finite values in the current data' });
      continue;
    }
    measured.push(measureFeature(ref, sorted, column.length - sorted.length, { histogramBins }));
  }
  const raw = measured.map(decisionPValue);
  const adjusted = adjustPValues(raw, thresholds.correction);
  const assessed = measured.map((m, i) => {
    const pAdjusted = Number.isNaN(adjusted[i]!) ? 1 : adjusted[i]!;
    return { measures: m, pAdjusted, decision: decide(m, pAdjusted, thresholds) };
  });
  return { assessed, skipped };
}

/** The p-value the rule uses for the feature: chi-square when the reference is low-cardinality, else KS. */
export function decisionPValue(m: FeatureMeasures): number {
  return m.chiSquare ? m.chiSquare.pValue : m.ks.pValue;
}
