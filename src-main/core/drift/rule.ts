import type { DriftThresholdsView } from '../../contract/shared/monitoring';
import type { Correction } from '../stats/corrections';
import { fmtP, fmtStat, fmtThreshold } from './format';
import type { FeatureMeasures } from './measure';

/** Shape and defaults live in the contract's leaf (DEFAULT_DRIFT_THRESHOLDS), shared with the settings schema. */
export type DriftThresholds = DriftThresholdsView;

export type FiredTest = 'psi' | 'ks' | 'chiSquare';

export interface Decision {
  drifted: boolean;
  reasons: string[];
  firedTests: FiredTest[];
  /** Why a significant test was not enough, for the UI (big samples make every test significant). */
  notes: string[];
}

const CORRECTION_LABEL: Record<Correction, string> = {
  none: '',
  bonferroni: ' (Bonferroni-adjusted)',
  'benjamini-hochberg': ' (BH-adjusted)',
};

/** The decision rule in words, stored in every report. */
export function describeRule(t: DriftThresholds): string {
  const adjusted = t.correction === 'none' ? 'p' : `${t.correction}-adjusted p (over the features of the report)`;
  return (
    `A feature is drifted when PSI ≥ ${fmtThreshold(t.psi)}, or when its two-sample test is significant ` +
    `(${adjusted} < ${fmtThreshold(t.ksPValue)}; KS, or chi-square for features with ≤ 20 distinct reference values) ` +
    `and an effect size passes: mean shift ≥ ${fmtThreshold(t.effectSize)}σ or Wasserstein/σ_ref ≥ ${fmtThreshold(t.effectSize)}. ` +
    `The dataset is drifted when the share of drifted features ≥ ${fmtThreshold(t.datasetDriftShare)}.`
  );
}

/**
 * Applies the rule to one feature. `pAdjusted` is the corrected p-value of the
 * feature's decision test (chi-square for categorical features, else KS).
 */
export function decide(m: FeatureMeasures, pAdjusted: number, t: DriftThresholds): Decision {
  const reasons: string[] = [];
  const notes: string[] = [];
  const firedTests: FiredTest[] = [];
  if (m.psi >= t.psi) {
    firedTests.push('psi');
    reasons.push(`PSI ${fmtStat(m.psi)} ≥ ${fmtThreshold(t.psi)}`);
  }
  const test: FiredTest = m.kind === 'categorical' ? 'chiSquare' : 'ks';
  const testLabel = `${test === 'ks' ? 'KS' : 'chi-square'} p${CORRECTION_LABEL[t.correction]} ${fmtP(pAdjusted)} < ${fmtThreshold(t.ksPValue)}`;
  if (pAdjusted < t.ksPValue) {
    const effects: string[] = [];
    if (m.meanShift >= t.effectSize) effects.push(`mean shift ${fmtStat(m.meanShift)}σ ≥ ${fmtThreshold(t.effectSize)}σ`);
    if (m.wasserstein >= t.effectSize) effects.push(`Wasserstein ${fmtStat(m.wasserstein)}σ ≥ ${fmtThreshold(t.effectSize)}σ`);
    if (effects.length > 0) {
      firedTests.push(test);
      reasons.push(`${testLabel} with ${effects.join(' and ')}`);
    } else {
      notes.push(
        `${testLabel} but effect sizes are small (mean shift ${fmtStat(m.meanShift)}σ, Wasserstein ${fmtStat(m.wasserstein)}σ < ${fmtThreshold(t.effectSize)}σ): not counted`,
      );
    }
  }
  return { drifted: firedTests.length > 0, reasons, firedTests, notes };
}

export function validateThresholds(t: DriftThresholds): void {
  const positive = (name: string, v: number): void => {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`threshold ${name} must be a positive number, got ${v}`);
  };
  positive('psi', t.psi);
  positive('effectSize', t.effectSize);
  if (!(t.ksPValue > 0 && t.ksPValue <= 1)) throw new RangeError(`threshold ksPValue must be in (0, 1], got ${t.ksPValue}`);
  if (!(t.datasetDriftShare > 0 && t.datasetDriftShare <= 1)) {
    throw new RangeError(`threshold datasetDriftShare must be in (0, 1], got ${t.datasetDriftShare}`);
  }
  if (!['none', 'bonferroni', 'benjamini-hochberg'].includes(t.correction)) throw new RangeError(`unknown correction "${t.correction}"`);
}
