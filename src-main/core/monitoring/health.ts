import { DAY_MS } from '../data/calendar';
import type { Thresholds } from '../../contract/settings';
import type { HealthStatus } from '../../contract/shared/monitoring';
import type { LatencyStats, PerformanceSummary, VersionPerformance } from './performance';

/**
 * Model health from drift and performance, with reasons and concrete
 * recommendations a facility analyst can act on.
 *
 * Rules (first match wins for the status; every rule that fires adds its reason):
 *   critical  the drift report says the dataset drifted, or ≥ 50% of features drifted;
 *             anomaly rate > 2 × thresholds.anomalyRate;
 *             online request latency p95 > 2 × thresholds.latencyP95Ms;
 *             batch latency per reading p95 > 2 × thresholds.readingLatencyP95Ms
 *   warning   any feature drifted;
 *             anomaly rate > thresholds.anomalyRate;
 *             online request latency p95 > thresholds.latencyP95Ms;
 *             batch latency per reading p95 > thresholds.readingLatencyP95Ms;
 *             online p95 latency of this version ≥ 2 × that of the previous version
 *   healthy   otherwise (also when nothing is logged yet: nothing is wrong, but the
 *             recommendation says how to start monitoring)
 * Rates and p95 are those of the whole `performance` window; the version comparison
 * uses its per-version latency (or `previousVersionPerformance` when given).
 * One alert per drifted feature, plus one per performance rule that fires.
 */

export interface DriftFeatureInput {
  name: string;
  psi: number | null;
  drifted: boolean;
  reasons: string[];
  /** Mean shift in reference standard deviations, signed. */
  meanShift?: number | null;
}

export interface DriftInput {
  driftedShare: number;
  datasetDrift: boolean;
  driftScore: number;
  features: DriftFeatureInput[];
}

/** `VersionPerformance` fits; only the version and its p95 are used. */
export interface PreviousVersionInput {
  version: string;
  latency: Pick<LatencyStats, 'p95Ms'> | null;
}

export interface HealthInput {
  drift?: DriftInput;
  performance?: PerformanceSummary;
  previousVersionPerformance?: PreviousVersionInput;
  thresholds: Thresholds;
  context: {
    model: string;
    version: string;
    /** ISO date or epoch ms. */
    trainedAt?: string | number;
    /** Days of recent data to retrain on; defaults to the days the performance window's readings span (data time). */
    dataDays?: number;
    /** Epoch ms used for ages; defaults to the current time. */
    now?: number;
  };
}

export interface HealthAlert {
  level: 'warning' | 'critical';
  message: string;
  feature?: string;
}

export interface HealthReport {
  status: HealthStatus;
  reasons: string[];
  recommendations: string[];
  alerts: HealthAlert[];
}

const CRITICAL_DRIFT_SHARE = 0.5;
const CRITICAL_FACTOR = 2;
const LATENCY_REGRESSION_FACTOR = 2;
/** Features whose mean moved at least this many reference σ get their own "investigate" line. */
const INVESTIGATE_SHIFT_SIGMA = 1;
const MAX_INVESTIGATE = 3;

export function assessHealth(input: HealthInput): HealthReport {
  const acc = new Findings();
  assessDrift(input, acc);
  assessPerformance(input, acc);
  if (acc.status === 'healthy' && input.performance && input.performance.predictions > 0) {
    acc.recommendations.push(healthyLine(input));
  }
  return { status: acc.status, reasons: acc.reasons, recommendations: acc.recommendations, alerts: acc.alerts };
}

class Findings {
  status: HealthStatus = 'healthy';
  reasons: string[] = [];
  recommendations: string[] = [];
  alerts: HealthAlert[] = [];

  raise(level: 'warning' | 'critical', reason: string): void {
    if (level === 'critical' || this.status === 'healthy') this.status = level;
    this.reasons.push(reason);
  }
}

function assessDrift(input: HealthInput, acc: Findings): void {
  const { drift, thresholds } = input;
  if (!drift) {
    if (input.performance && input.performance.predictions > 0) {
      acc.recommendations.push('No drift report yet: run a drift check of recent predictions against the training reference.');
    }
    return;
  }
  const drifted = drift.features.filter((f) => f.drifted).sort((a, b) => (b.psi ?? 0) - (a.psi ?? 0));
  const total = drift.features.length;
  if (drifted.length === 0) return;
  const share = `${drifted.length} of ${total} features drifted (${pct(drift.driftedShare)})`;
  const critical = drift.datasetDrift || drift.driftedShare >= CRITICAL_DRIFT_SHARE;
  if (critical) acc.raise('critical', `Dataset drift: ${share}.`);
  else acc.raise('warning', `Feature drift: ${share}.`);

  const top = drifted[0]!;
  const topPsi = top.psi !== null ? ` (PSI of ${top.name} ${top.psi.toFixed(3)})` : '';
  acc.recommendations.push(`${retrainWindow(input)}: ${share.replace(/ \(.*\)$/, '')}${topPsi}${trainedAgo(input)}.`);

  const shifted = drifted
    .filter((f) => f.meanShift !== undefined && f.meanShift !== null && Math.abs(f.meanShift) >= INVESTIGATE_SHIFT_SIGMA)
    .sort((a, b) => Math.abs(b.meanShift!) - Math.abs(a.meanShift!))
    .slice(0, MAX_INVESTIGATE);
  for (const f of shifted) {
    const dir = f.meanShift! > 0 ? 'up' : 'down';
    acc.recommendations.push(
      `Investigate ${f.name}: mean shifted ${Math.abs(f.meanShift!).toFixed(1)}σ ${dir} since training (sensor fault, equipment change or a new operating pattern).`,
    );
  }

  for (const f of drifted) {
    const psi = f.psi !== null ? `PSI ${f.psi.toFixed(3)} (threshold ${thresholds.psi.toFixed(3)})` : '';
    const why = [psi, ...f.reasons.filter((r) => !/^psi\b/i.test(r))].filter((s) => s.length > 0).join('; ');
    acc.alerts.push({ level: critical ? 'critical' : 'warning', feature: f.name, message: `Drift in ${f.name}${why ? `: ${why}` : ''}.` });
  }
}

function assessPerformance(input: HealthInput, acc: Findings): void {
  const perf = input.performance;
  const t = input.thresholds;
  if (!perf || perf.predictions === 0) {
    acc.recommendations.push('No predictions logged yet: score data to start monitoring.');
    return;
  }

  const rate = perf.anomalyRate;
  if (rate !== null && rate > t.anomalyRate) {
    const level = rate > CRITICAL_FACTOR * t.anomalyRate ? 'critical' : 'warning';
    const msg = `Anomaly rate ${pct(rate)} is above the ${pct(t.anomalyRate)} threshold (${perf.anomalies.toLocaleString('en-US')} of ${perf.predictions.toLocaleString('en-US')} readings).`;
    acc.raise(level, msg);
    acc.alerts.push({ level, message: msg });
    acc.recommendations.push(
      `Review the ${perf.anomalies.toLocaleString('en-US')} flagged readings: if they are real faults, act on the equipment; if they are normal operation, retrain on recent data (anomaly rate ${pct(rate)} vs ${pct(t.anomalyRate)} expected at most).`,
    );
  }

  const p95 = perf.latency?.p95Ms;
  if (p95 !== undefined && p95 > t.latencyP95Ms) {
    const level = p95 > CRITICAL_FACTOR * t.latencyP95Ms ? 'critical' : 'warning';
    const msg = `Request latency p95 ${ms(p95)} (online requests) is above the ${ms(t.latencyP95Ms)} threshold.`;
    acc.raise(level, msg);
    acc.alerts.push({ level, message: msg });
    acc.recommendations.push(
      `Bring request latency p95 (${ms(p95)}) under ${ms(t.latencyP95Ms)}: reduce the number of trees, or check machine load.`,
    );
  }

  const perReading = perf.readingLatency;
  if (perReading && perReading.p95Ms > t.readingLatencyP95Ms) {
    const level = perReading.p95Ms > CRITICAL_FACTOR * t.readingLatencyP95Ms ? 'critical' : 'warning';
    const batches = `${perReading.requests.toLocaleString('en-US')} batch${perReading.requests === 1 ? '' : 'es'}`;
    const msg = `Batch latency p95 ${msPerReading(perReading.p95Ms)} (over ${batches}) is above the ${readingMs(t.readingLatencyP95Ms)} ms-a-reading threshold.`;
    acc.raise(level, msg);
    acc.alerts.push({ level, message: msg });
    acc.recommendations.push(
      `Bring batch latency (${msPerReading(perReading.p95Ms)}) under ${msPerReading(t.readingLatencyP95Ms)}: reduce the number of trees, or score on a less loaded machine.`,
    );
  }

  const cur = currentVersion(input);
  const prev = input.previousVersionPerformance ?? previousVersion(input);
  const curP95 = cur?.latency?.p95Ms;
  const prevP95 = prev?.latency?.p95Ms;
  if (prev && curP95 !== undefined && prevP95 !== undefined && prevP95 > 0) {
    const ratio = curP95 / prevP95;
    if (ratio >= LATENCY_REGRESSION_FACTOR) {
      const msg = `Latency p95 rose ${ratio.toFixed(1)}× since version ${prev.version} (${ms(prevP95)} → ${ms(curP95)}).`;
      acc.raise('warning', msg);
      acc.alerts.push({ level: 'warning', message: msg });
      acc.recommendations.push(`${msg.slice(0, -1)}: check input size or roll back to ${prev.version}.`);
    }
  }
}

function currentVersion(input: HealthInput): VersionPerformance | undefined {
  const { model, version } = input.context;
  return input.performance?.byVersion.find((v) => v.model === model && v.version === version);
}

/** The version logged just before the current one (log order) for the same model. */
function previousVersion(input: HealthInput): VersionPerformance | undefined {
  const list = input.performance?.byVersion.filter((v) => v.model === input.context.model) ?? [];
  const i = list.findIndex((v) => v.version === input.context.version);
  return i > 0 ? list[i - 1] : undefined;
}

function retrainWindow(input: HealthInput): string {
  let days = input.context.dataDays;
  // Data time: 30 days of readings scored in a minute are 30 days of data, not one.
  const range = input.performance?.dataTimeRange;
  if (days === undefined && range) days = Math.ceil((range.toMs - range.fromMs) / DAY_MS);
  return days !== undefined && days >= 1 ? `Retrain on the last ${days} day${days === 1 ? '' : 's'}` : 'Retrain on recent data';
}

function trainedAgo(input: HealthInput): string {
  const at = input.context.trainedAt;
  if (at === undefined) return '';
  const t = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(t)) return '';
  const days = Math.floor(((input.context.now ?? Date.now()) - t) / DAY_MS);
  return days >= 1 ? `; version ${input.context.version} was trained ${days} day${days === 1 ? '' : 's'} ago` : '';
}

function healthyLine(input: HealthInput): string {
  const perf = input.performance!;
  const parts: string[] = [];
  if (input.drift) parts.push('no feature drifted');
  if (perf.latency) parts.push(`request latency p95 ${ms(perf.latency.p95Ms)} (threshold ${ms(input.thresholds.latencyP95Ms)})`);
  if (perf.readingLatency) {
    parts.push(
      `batch latency p95 ${msPerReading(perf.readingLatency.p95Ms)} (threshold ${msPerReading(input.thresholds.readingLatencyP95Ms)})`,
    );
  }
  if (perf.anomalyRate !== null) parts.push(`anomaly rate ${pct(perf.anomalyRate)} (threshold ${pct(input.thresholds.anomalyRate)})`);
  return `No action needed: ${parts.join(', ')}.`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function ms(x: number): string {
  return `${x >= 10 ? Math.round(x) : x.toFixed(1)} ms`;
}

/** Per-reading latencies are often far below 1 ms: two significant digits. */
function readingMs(x: number): string {
  return String(x >= 10 ? Math.round(x) : Number(x.toPrecision(2)));
}

function msPerReading(x: number): string {
  return `${readingMs(x)} ms a reading`;
}
