import type { ChiSquareResult } from '../stats/chi-square';
import type { KsMethod } from '../stats/ks';
import { PSI_DEFAULT_BINS } from '../stats/psi';
import { assessFeatures, type Assessed, type Skipped } from './assess';
import { fmtStat } from './format';
import type { Histogram } from './measure';
import { isProfile, prepareFeature, referenceFeatureNames, type PreparedFeature, type Reference } from './reference';
import { describeRule, validateThresholds, type DriftThresholds, type FiredTest } from './rule';

export interface FeatureDrift {
  name: string;
  /** 'categorical' when the reference has ≤ 20 distinct values: chi-square decides instead of KS. */
  kind: 'continuous' | 'categorical';
  psi: number;
  ks: {
    statistic: number;
    pValue: number;
    /** Corrected p-value when KS is this feature's decision test, null for categorical features. */
    pAdjusted: number | null;
    method: KsMethod;
  };
  /** |Δmean| / σ_ref. */
  meanShift: number;
  /** Wasserstein distance / σ_ref. */
  wasserstein: number;
  /** Wasserstein distance in the feature's own unit. */
  wassersteinRaw: number;
  /** Jensen–Shannon distance on the PSI bins, natural-log base (0 … 0.833). */
  jensenShannon: number;
  chiSquare?: ChiSquareResult & { pAdjusted: number };
  drifted: boolean;
  reasons: string[];
  firedTests: FiredTest[];
  notes: string[];
  referenceHistogram: Histogram;
  currentHistogram: Histogram;
  counts: {
    reference: number;
    referenceMissing: number;
    current: number;
    currentMissing: number;
    /** Reference values behind KS/Wasserstein: all of them, or the profile sample. */
    referenceUsedForKs: number;
  };
}

export interface DriftReport {
  rule: string;
  thresholds: DriftThresholds;
  /** 'profile': PSI from the stored bins (exact); KS and Wasserstein on the stored sample. */
  referenceSource: 'raw' | 'profile';
  features: FeatureDrift[];
  /** Requested features that could not be assessed, with the reason. */
  skipped: Skipped[];
  driftedFeatures: string[];
  /** Drifted / assessed features (0 when none could be assessed). */
  driftedShare: number;
  datasetDrift: boolean;
  /** In [0, 1]: mean over assessed features of min(1, PSI / (2 · PSI threshold)). */
  driftScore: number;
  driftScoreRule: string;
  /** One line per drifted feature. */
  alerts: string[];
}

export interface DriftReportOptions {
  /** Features to assess; default: every reference feature present in the current data. */
  features?: string[];
  /** PSI bins for a raw reference (a profile keeps its own); default 10. */
  bins?: number;
  /** Overlay histogram bins, at most 60; default 40. */
  histogramBins?: number;
}

export const DRIFT_SCORE_RULE = 'mean over assessed features of min(1, PSI / (2 × PSI threshold))';

export function driftReport(
  reference: Reference,
  current: Record<string, ArrayLike<number>>,
  thresholds: DriftThresholds,
  opts: DriftReportOptions = {},
): DriftReport {
  validateThresholds(thresholds);
  const names = opts.features ?? referenceFeatureNames(reference).filter((n) => n in current);
  const { prepared, skipped } = prepareAll(reference, names, opts.bins ?? PSI_DEFAULT_BINS);
  const histogramBins = Math.max(1, Math.min(60, Math.floor(opts.histogramBins ?? 40)));
  const result = assessFeatures(prepared, current, thresholds, histogramBins);
  const features = result.assessed.map(toFeatureDrift);
  const drifted = features.filter((f) => f.drifted);
  const driftedShare = features.length > 0 ? drifted.length / features.length : 0;
  const driftScore = features.length > 0
    ? features.reduce((sum, f) => sum + Math.min(1, f.psi / (2 * thresholds.psi)), 0) / features.length
    : 0;
  return {
    rule: describeRule(thresholds),
    thresholds: { ...thresholds },
    referenceSource: isProfile(reference) ? 'profile' : 'raw',
    features,
    skipped: [...skipped, ...result.skipped],
    driftedFeatures: drifted.map((f) => f.name),
    driftedShare,
    datasetDrift: features.length > 0 && driftedShare >= thresholds.datasetDriftShare,
    driftScore,
    driftScoreRule: DRIFT_SCORE_RULE,
    alerts: drifted.map((f) => `Feature "${f.name}" drifted: ${f.reasons.join('; ')} (PSI ${fmtStat(f.psi)}, mean shift ${fmtStat(f.meanShift)}σ)`),
  };
}

export function prepareAll(reference: Reference, names: ReadonlyArray<string>, bins: number): { prepared: PreparedFeature[]; skipped: Skipped[] } {
  const known = new Set(referenceFeatureNames(reference));
  const prepared: PreparedFeature[] = [];
  const skipped: Skipped[] = [];
  for (const name of names) {
    if (!known.has(name)) {
      skipped.push({ name, reason: 'not in the reference' });
      continue;
    }
    const p = prepareFeature(reference, name, bins);
    if (p) prepared.push(p);
    else skipped.push({ name, reason: 'no finite values in the reference' });
  }
  return { prepared, skipped };
}

function toFeatureDrift(a: Assessed): FeatureDrift {
  const m = a.measures;
  const categorical = m.chiSquare !== null;
  const out: FeatureDrift = {
    name: m.name,
    kind: m.kind,
    psi: m.psi,
    ks: { statistic: m.ks.statistic, pValue: m.ks.pValue, pAdjusted: categorical ? null : a.pAdjusted, method: m.ks.method },
    meanShift: m.meanShift,
    wasserstein: m.wasserstein,
    wassersteinRaw: m.wassersteinRaw,
    jensenShannon: m.jensenShannon,
    drifted: a.decision.drifted,
    reasons: a.decision.reasons,
    firedTests: a.decision.firedTests,
    notes: a.decision.notes,
    referenceHistogram: m.histograms!.reference,
    currentHistogram: m.histograms!.current,
    counts: m.counts,
  };
  if (m.chiSquare) out.chiSquare = { ...m.chiSquare, pAdjusted: a.pAdjusted };
  return out;
}
