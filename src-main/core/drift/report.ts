import type { DriftReportView as DriftReport, FeatureDriftView as FeatureDrift } from '../../contract/shared/monitoring';
import { PSI_DEFAULT_BINS } from '../stats/psi';
import { assessFeatures, type Assessed, type Skipped } from './assess';
import { fmtStat } from './format';
import { isProfile, prepareFeature, referenceFeatureNames, type PreparedFeature, type Reference } from './reference';
import { describeRule, validateThresholds, type DriftThresholds } from './rule';
import { seasonalReference, type SeasonalReference } from './season';

export type { DriftReport, FeatureDrift };

export interface DriftReportOptions {
  /** Features to assess; default: every reference feature present in the current data. */
  features?: string[];
  /** PSI bins for a raw reference (a profile keeps its own); default 10. */
  bins?: number;
  /** Overlay histogram bins, at most 60; default 40. */
  histogramBins?: number;
  /** Epoch milliseconds of the current rows: against a profile with a season sample, the same weeks are the reference (season.ts). */
  times?: ArrayLike<number>;
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
  const season = opts.times ? seasonOf(reference, opts.times) : null;
  const { prepared, skipped } = preparedFor(season?.columns ?? reference, names, opts.bins ?? PSI_DEFAULT_BINS);
  const histogramBins = Math.max(1, Math.min(60, Math.floor(opts.histogramBins ?? 40)));
  const result = assessFeatures(prepared, current, thresholds, histogramBins);
  const features = result.assessed.map(toFeatureDrift);
  const drifted = features.filter((f) => f.drifted);
  const driftedShare = features.length > 0 ? drifted.length / features.length : 0;
  const driftScore =
    features.length > 0 ? features.reduce((sum, f) => sum + Math.min(1, f.psi / (2 * thresholds.psi)), 0) / features.length : 0;
  return {
    rule: describeRule(thresholds),
    thresholds: { ...thresholds },
    referenceSource: season ? 'season' : isProfile(reference) ? 'profile' : 'raw',
    ...(season ? { season: { rows: season.rows, days: season.days } } : {}),
    features,
    skipped: [...skipped, ...result.skipped],
    driftedFeatures: drifted.map((f) => f.name),
    driftedShare,
    datasetDrift: features.length > 0 && driftedShare >= thresholds.datasetDriftShare,
    driftScore,
    driftScoreRule: DRIFT_SCORE_RULE,
    alerts: drifted.map(
      (f) => `Feature "${f.name}" drifted: ${f.reasons.join('; ')} (PSI ${fmtStat(f.psi)}, mean shift ${fmtStat(f.meanShift)}σ)`,
    ),
  };
}

/** The seasonal reference for readings at `times`, when `reference` is a profile with a season sample and they match enough of it. */
export function seasonOf(reference: Reference, times: ArrayLike<number>): SeasonalReference | null {
  return isProfile(reference) && reference.season ? seasonalReference(reference.season, times) : null;
}

/**
 * A stored profile is immutable once loaded (the backend caches its parse by
 * checksum), and preparing it (sorting its sample, PSI edges) is about half a
 * drift report's cost; the health check after every scoring request reuses it.
 * Raw references are arrays a caller may change, so they are prepared each time.
 */
const preparedProfiles = new WeakMap<object, Map<string, ReturnType<typeof prepareAll>>>();

function preparedFor(reference: Reference, names: ReadonlyArray<string>, bins: number): ReturnType<typeof prepareAll> {
  if (!isProfile(reference)) return prepareAll(reference, names, bins);
  const byKey = preparedProfiles.get(reference) ?? new Map<string, ReturnType<typeof prepareAll>>();
  preparedProfiles.set(reference, byKey);
  const key = `${bins}\0${names.join('\0')}`;
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = prepareAll(reference, names, bins)));
  // Skipped entries are copied into the report: hand out a fresh list each time.
  return { prepared: hit.prepared, skipped: [...hit.skipped] };
}

export function prepareAll(
  reference: Reference,
  names: ReadonlyArray<string>,
  bins: number,
): { prepared: PreparedFeature[]; skipped: Skipped[] } {
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
    meanDelta: m.meanDelta,
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
