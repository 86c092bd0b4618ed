import { GreenLensError } from '../../contract';
import type { RetrainAction } from '../../contract/shared/loop';
import type { HealthDrift, HealthResult } from '../../contract/shared/monitoring';
import { defineLazy } from '../lazy-field';
import { windowLabel } from '../loop/lineage';
import { currentRegistry } from '../registry-access';
import { DAY_MS, timeSpan } from '../../core/data/calendar';
import type { ReferenceProfile } from '../../core/drift/profile';
import { driftReport, type DriftReport } from '../../core/drift/report';
import { assessHealth, summarizeLog, type DriftInput } from '../../core/monitoring';
import { predictionLog } from '../prediction-sink';
import type { BackendState } from '../state';
import { driftThresholds } from './drift';
import { lastReadings, type LogWindow } from './log-window';
import { MAX_TREND_POINTS } from './performance';
import { currentWithProfile } from './health-cache';

/**
 * Fewer logged readings than this and drift is not judged: with no drift at
 * all, PSI over n readings averages about 9/n, so tiny windows raise false alarms.
 */
export const MIN_DRIFT_ROWS = 100;

/**
 * monitoring.health: the current version (production, else newest) judged on
 * drift of its last `driftWindow` logged readings against its reference profile
 * and on the performance of the model's last `hotWindow` readings.
 */
export async function modelHealth(model: string, state: BackendState): Promise<HealthResult> {
  const checkedAt = new Date().toISOString();
  const current = await currentWithProfile(state, model, (await currentRegistry(state)).dir);
  if (!current) {
    await refuseUnknownModel(state, model);
    return {
      model,
      version: null,
      alias: null,
      status: 'no-model',
      reasons: [],
      recommendations: ['No model version yet: train one on the Data tab (or `greenlens train`), then score readings to start monitoring.'],
      alerts: [],
      drift: null,
      performance: null,
      loggedPredictions: 0,
      checkedAt,
    };
  }
  const { meta, alias, profile } = current;
  const { thresholds, monitoring } = state.settings;
  const log = await predictionLog(state);
  const performance = await summarizeLog(log, { model, last: monitoring.hotWindow, maxTrendPoints: MAX_TREND_POINTS });
  const window = await lastReadings(log, monitoring.driftWindow, {
    model,
    version: meta.version,
    columns: profile.features.map((f) => f.name),
  });
  const report =
    window.rows >= MIN_DRIFT_ROWS ? driftReport(profile, window.features, driftThresholds(thresholds), { times: window.time }) : null;
  // Judged against the same weeks of a year of training readings: a retrain needs a whole year too, or it fails the next season.
  const judged = timeSpan(window.time);
  const retrainSpan: [number, number] | null = judged && report?.season ? [judged[1] - YEAR_MS, judged[1]] : judged;
  const health = assessHealth({
    ...(report ? { drift: driftInput(report, profile, window) } : {}),
    performance,
    thresholds,
    // Retrain advice in data time (the readings' own timestamps), not in when they were scored.
    context: { model, version: meta.version, trainedAt: meta.createdAt, ...dataDaysOf(retrainSpan) },
  });
  if (!report && window.rows > 0) {
    // assessHealth would say "no drift report yet"; the truth is that too little is logged.
    health.recommendations = health.recommendations.filter((r) => !r.startsWith('No drift report yet'));
    health.recommendations.push(
      `Only ${window.rows} predictions of version ${meta.version} are logged: drift is judged from ${MIN_DRIFT_ROWS} on.`,
    );
  }
  const action = report ? retrainAction(model, meta.version, report, retrainSpan) : null;
  return {
    model,
    version: meta.version,
    alias,
    ...health,
    drift: report ? healthDrift(report, meta.version, window, judged) : null,
    performance,
    loggedPredictions: log.count(model),
    checkedAt,
    ...(action ? { actions: [action] } : {}),
  };
}

/** The retrain recommendation as an action: the drifted readings' own data-time window, the parent and why. */
function retrainAction(model: string, version: string, report: DriftReport, span: [number, number] | null): RetrainAction | null {
  if (report.driftedFeatures.length === 0 || !span) return null;
  const [fromMs, toMs] = span;
  const action: RetrainAction = {
    type: 'retrain',
    // Filled in below, on first read.
    label: '',
    model,
    parent: version,
    trigger: 'drift',
    fromMs,
    toMs,
    reason: `drift in ${report.driftedFeatures.join(', ')} (${report.driftedFeatures.length} of ${report.features.length} features) against version ${version}`,
  };
  // The alert check after every scoring request takes a health check and never reads the label: formatting its
  // dates was that request's only use of the locale data (Intl), whose loading cost 10-30 ms of its tail.
  defineLazy(action, 'label', () => `Retrain on ${windowLabel(fromMs, toMs)} readings`);
  return action;
}

/** A model name that is not in a registry that has models is a mistake, not "no model yet". */
async function refuseUnknownModel(state: BackendState, model: string): Promise<void> {
  const registry = await currentRegistry(state);
  const known = (await registry.listModels()).map((m) => m.name);
  if (known.length === 0 || known.includes(model)) return;
  throw new GreenLensError('not_found', `The registry has no model ${model} (models: ${known.join(', ')}).`, {
    field: 'model',
    file: registry.dir,
  });
}

/** Health wants the signed mean shift, to say "up" or "down"; the report keeps |Δmean|/σ. */
function driftInput(report: DriftReport, profile: ReferenceProfile, window: LogWindow): DriftInput {
  return {
    driftedShare: report.driftedShare,
    datasetDrift: report.datasetDrift,
    driftScore: report.driftScore,
    features: report.features.map((f) => {
      const ref = profile.features.find((p) => p.name === f.name);
      const signed = ref?.mean != null && ref.std ? (finiteMean(window.features[f.name]) - ref.mean) / ref.std : null;
      return {
        name: f.name,
        psi: f.psi,
        drifted: f.drifted,
        reasons: f.reasons,
        meanShift: signed !== null && Number.isFinite(signed) ? signed : f.meanShift,
      };
    }),
  };
}

/** `span`: the window's first and last reading time (data time). */
function healthDrift(report: DriftReport, version: string, window: LogWindow, span: [number, number] | null): HealthDrift {
  return {
    version,
    rows: window.rows,
    fromMs: span?.[0] ?? null,
    toMs: span?.[1] ?? null,
    driftScore: report.driftScore,
    driftedShare: report.driftedShare,
    datasetDrift: report.datasetDrift,
    driftedFeatures: report.driftedFeatures,
    features: report.features.map((f) => ({ name: f.name, psi: f.psi, drifted: f.drifted })),
    ...(report.season ? { season: report.season } : {}),
    sampledEvery: window.sampledEvery,
  };
}

/** Whole days a span of data time covers (at least 1); nothing without one. */
function dataDaysOf(span: [number, number] | null): { dataDays?: number } {
  return span ? { dataDays: Math.max(1, Math.ceil((span[1] - span[0]) / DAY_MS)) } : {};
}

const YEAR_MS = 365 * DAY_MS;

function finiteMean(values: Float64Array | undefined): number {
  if (!values) return Number.NaN;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}
