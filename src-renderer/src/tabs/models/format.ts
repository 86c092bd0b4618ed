import type { VersionMeta } from '../../../../src-main/contract/ops/registry';
import { fmtInt, fmtMs, fmtNum, fmtPct } from '../../components/format';

/** Parameters a person tunes (ARCHITECTURE §5): shown as table columns. */
export const KEY_PARAMS = [
  { key: 'trees', label: 'Trees' },
  { key: 'sampleSize', label: 'Sample size' },
  { key: 'contamination', label: 'Contam.' },
] as const;

/** Metrics worth a column, in this order, when any version has them. */
const PREFERRED_METRICS = ['rocAuc', 'f1', 'anomalyRate', 'trainingMs', 'precision', 'recall'];

const METRIC_LABELS: Record<string, string> = {
  rocAuc: 'ROC AUC',
  f1: 'F1',
  anomalyRate: 'Anomaly rate',
  trainingMs: 'Training',
  precision: 'Precision',
  recall: 'Recall',
  scoreP50: 'Score median (p50)',
  scoreP95: 'Score p95',
  scoreP99: 'Score p99',
  scoreMean: 'Mean score',
  droppedRows: 'Rows left out (missing values)',
  holdoutRows: 'Holdout rows',
  evaluatedOn: 'Labels judged on',
  buildings: 'Buildings',
  fleetBuildings: 'Buildings on the fleet baseline',
};

const PARAM_LABELS: Record<string, string> = {
  algorithm: 'Algorithm',
  features: 'Features',
  label: 'Label column',
  trees: 'Trees',
  sampleSize: 'Sample size',
  subsample: 'Sample size used',
  contamination: 'Contamination',
  seed: 'Random seed',
  holdout: 'Holdout share',
  threshold: 'Score threshold',
  normalize: 'Normalization',
  idColumn: 'Id column',
  meters: 'Meters baselined',
  temperatureColumn: 'Temperature column',
  timeColumn: 'Time column',
  stuckHours: 'Stuck sensor after (h)',
  weights: 'Member weights',
  zThreshold: 'Flag at (robust SDs)',
};

/** A person's words for a stored key; an unknown key is split from camelCase rather than shown raw. */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `recall_hvac_fault` → "Recall · hvac_fault"; `member_forest_rocAuc` → "Member forest · ROC AUC"; `building_B01_f1` → "Building B01 · F1". */
function breakdownLabel(name: string): string | null {
  const type = /^recall_(.+)$/.exec(name);
  if (type) return `Recall · ${type[1]}`;
  const part = /^(member|building)_(.+)_([A-Za-z0-9]+)$/.exec(name);
  if (!part) return null;
  const figure = part[3] === 'flagged' ? 'flags alone' : part[3] === 'fleet' ? 'fleet baseline' : metricLabel(part[3]!);
  return `${part[1] === 'member' ? 'Member' : 'Building'} ${part[2]} · ${figure}`;
}

export function metricLabel(name: string): string {
  return METRIC_LABELS[name] ?? breakdownLabel(name) ?? humanize(name);
}

export function paramLabel(name: string): string {
  return PARAM_LABELS[name] ?? humanize(name);
}

export function keyMetrics(versions: VersionMeta[]): string[] {
  const names = new Set(versions.flatMap((v) => Object.keys(v.metrics)));
  const preferred = PREFERRED_METRICS.filter((m) => names.has(m));
  return preferred.length ? preferred.slice(0, 4) : [...names].sort().slice(0, 4);
}

/** Rates as percentages, durations in ms, scores with 3 decimals. */
export function fmtMetric(name: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (name === 'evaluatedOn') return v === 1 ? 'holdout rows' : 'training rows (optimistic)';
  if (/rate$/i.test(name) || /^member_.+_flagged$/.test(name)) return fmtPct(v, 2);
  if (/ms$/i.test(name) || /latency/i.test(name)) return fmtMs(v);
  return Number.isInteger(v) ? fmtInt(v) : fmtNum(v, 3);
}

export function fmtParam(v: unknown): string {
  if (v === undefined) return '(not set)';
  if (v === null) return '—';
  // Thresholds are stored at full precision; four significant digits is what a person compares.
  if (typeof v === 'number') return Number.isInteger(v) ? fmtInt(v) : String(Number(v.toPrecision(4)));
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ');
  // Member weights: "residual 1 · forest 0.5".
  if (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'number')) {
    return Object.entries(v as Record<string, number>)
      .map(([k, x]) => `${k} ${fmtParam(x)}`)
      .join(' · ');
  }
  return JSON.stringify(v);
}

/** Signed delta in the metric's own unit: `+0.041`, `−120 ms`, `+0.50%`. */
export function fmtDelta(name: string, d: number | null): string {
  if (d === null) return '—';
  if (d === 0) return '±0';
  const sign = d > 0 ? '+' : '−';
  return `${sign}${fmtMetric(name, Math.abs(d))}`;
}

export function fmtWhen(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

export function shortSha(sha: string): string {
  return `${sha.slice(0, 12)}…`;
}
