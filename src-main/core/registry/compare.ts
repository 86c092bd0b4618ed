import type { CompareResult, EvaluationData, MetricDiff, ParamDiff, VersionRecord } from './types';

/**
 * Metric direction by name. Names are normalised (lower case, separators
 * dropped) so `rocAuc`, `roc_auc` and `ROC-AUC` agree. Unknown names get
 * `better: null` rather than a guess.
 */
const HIGHER_IS_BETTER = ['auc', 'rocauc', 'prauc', 'precision', 'recall', 'f1', 'f1score', 'accuracy'];
const LOWER_IS_BETTER_PARTS = ['latency', 'trainingtime', 'traintime', 'duration', 'loss'];
/** Durations by unit suffix, e.g. the trainer's `trainingMs`. */
const DURATION_SUFFIXES = ['ms', 'seconds', 'secs'];

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function metricDirection(name: string): 'higher' | 'lower' | null {
  const n = normalise(name);
  if (HIGHER_IS_BETTER.includes(n)) return 'higher';
  if (LOWER_IS_BETTER_PARTS.some((part) => n.includes(part))) return 'lower';
  if (DURATION_SUFFIXES.some((suffix) => n.endsWith(suffix))) return 'lower';
  return null;
}

export function compareRecords(a: VersionRecord, b: VersionRecord): CompareResult {
  const colsA = new Set(a.trainingData.columns);
  const colsB = new Set(b.trainingData.columns);
  const evaluation = { a: evaluationData(a), b: evaluationData(b), same: sameEvaluation(a, b) };
  return {
    model: a.model,
    a: a.version,
    b: b.version,
    params: diffParams(a.params, b.params),
    metrics: diffMetrics(a.metrics, b.metrics, evaluation.same),
    evaluation,
    trainingData: {
      rows: { a: a.trainingData.rows, b: b.trainingData.rows, delta: b.trainingData.rows - a.trainingData.rows },
      columnsAdded: b.trainingData.columns.filter((c) => !colsA.has(c)),
      columnsRemoved: a.trainingData.columns.filter((c) => !colsB.has(c)),
      shaChanged: a.trainingData.sha256 !== b.trainingData.sha256,
      sourceChanged: (a.trainingData.source ?? null) !== (b.trainingData.source ?? null),
    },
  };
}

function diffParams(a: Record<string, unknown>, b: Record<string, unknown>): ParamDiff[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return keys
    .filter((key) => JSON.stringify(fa.get(key)) !== JSON.stringify(fb.get(key)))
    .map((key) => ({ key, a: fa.get(key), b: fb.get(key) }));
}

/** Nested plain objects become dotted keys so a change deep in params is named precisely. */
function flatten(value: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      flatten(v as Record<string, unknown>, full, out);
    } else {
      out.set(full, v);
    }
  }
  return out;
}

/** The trainer's markers: metrics.evaluatedOn (1 holdout, 0 training rows) and metrics.holdoutRows. */
function evaluationData(r: VersionRecord): EvaluationData {
  const on = r.metrics.evaluatedOn;
  const kind = on === 1 ? 'holdout' : on === 0 ? 'training' : 'unknown';
  const rows = kind === 'holdout' ? (r.metrics.holdoutRows ?? null) : kind === 'training' ? r.trainingData.rows : null;
  return { on: kind, rows, dataSha256: r.trainingData.sha256, source: r.trainingData.source ?? null };
}

/** Same rows measured: same data, and for a holdout the same share and split seed. */
function sameEvaluation(a: VersionRecord, b: VersionRecord): boolean {
  const ea = evaluationData(a);
  const eb = evaluationData(b);
  if (ea.dataSha256 !== eb.dataSha256 || ea.on !== eb.on) return false;
  if (ea.on !== 'holdout') return true;
  return a.params.holdout === b.params.holdout && a.params.seed === b.params.seed;
}

/**
 * Quality metrics (the 'higher is better' ones: precision, recall, F1, AUC) are
 * measured on each version's evaluation rows; on different rows a difference
 * says as much about the data as about the model, so it is not called better.
 */
function diffMetrics(a: Record<string, number | null>, b: Record<string, number | null>, sameEvaluation: boolean): MetricDiff[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return names.map((name) => {
    const va = a[name] ?? null;
    const vb = b[name] ?? null;
    const delta = va !== null && vb !== null ? vb - va : null;
    const direction = metricDirection(name);
    if (direction === 'higher' && !sameEvaluation) {
      return { name, a: va, b: vb, delta, better: null, caveat: 'measured on different holdouts' };
    }
    const better = delta === null || direction === null ? null : direction === 'higher' ? delta > 0 : delta < 0;
    return { name, a: va, b: vb, delta, better };
  });
}
