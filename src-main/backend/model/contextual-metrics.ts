import { evaluateLabels, summarizeScores } from '../../core/model';
import { MEMBERS, type ContextualScores, type ContextualSettings } from '../../core/model/contextual/types';
import { recallByType } from '../../core/model/per-type';

/**
 * Training metrics of a contextual version: the ensemble's figures, each
 * member's own (ROC AUC of its score, recall and flagged share at the
 * ensemble threshold), and recall per fault type. Flat numbers, so
 * `versions compare` can list each.
 */
/** What contextualMetrics reads of a scoring. */
export type MetricScores = Pick<ContextualScores, 'scores' | 'flags' | 'memberScores'>;

export function contextualMetrics(
  s: MetricScores,
  settings: ContextualSettings,
  labels: Float64Array | null,
  types: { codes: Int32Array; dictionary: string[] } | null,
): Record<string, number | null> {
  const n = s.scores.length;
  const summary = summarizeScores(s.scores);
  let flaggedAll = 0;
  for (let i = 0; i < n; i++) if (s.scores[i]! > 0.5) flaggedAll++;
  const out: Record<string, number | null> = {
    scoreP50: summary.p50,
    scoreP95: summary.p95,
    scoreP99: summary.p99,
    scoreMean: summary.mean,
    anomalyRate: n > 0 ? flaggedAll / n : 0,
    precision: null,
    recall: null,
    f1: null,
    rocAuc: null,
  };
  // Rows with a known label, as typed indices; when every label is known the arrays are used as they are.
  let knownCount = 0;
  if (labels) for (let i = 0; i < n; i++) if (!Number.isNaN(labels[i]!)) knownCount++;
  const known = new Int32Array(knownCount);
  if (labels) for (let i = 0, k = 0; i < n; i++) if (!Number.isNaN(labels[i]!)) known[k++] = i;
  const pickL = (a: Float64Array): Float64Array => {
    if (knownCount === n) return a;
    const out = new Float64Array(knownCount);
    for (let k = 0; k < knownCount; k++) out[k] = a[known[k]!]!;
    return out;
  };
  const lab = labels && knownCount ? pickL(labels) : null;
  // evaluateLabels, not evaluate: each score summary is a full sort, and only the ensemble's is reported.
  if (lab) {
    const e = evaluateLabels(pickL(s.scores), 0.5, lab);
    Object.assign(out, { precision: e.precision, recall: e.recall, f1: e.f1, rocAuc: e.rocAuc });
  }
  for (const m of MEMBERS) {
    const own = s.memberScores[m];
    const w = settings.weights[m];
    let flagged = 0;
    for (let i = 0; i < n; i++) if (w * own[i]! > settings.threshold) flagged++;
    out[`member_${m}_flagged`] = n ? flagged / n : 0;
    out[`member_${m}_weight`] = w;
    if (lab) {
      const e = evaluateLabels(pickL(own), settings.threshold / (w > 0 ? w : 1), lab);
      out[`member_${m}_rocAuc`] = e.rocAuc;
      out[`member_${m}_recall`] = e.recall;
    }
  }
  if (types) for (const [t, r] of Object.entries(recallByType(s.flags, types.codes, types.dictionary))) out[`recall_${t}`] = r;
  return out;
}

/** Per building: anomaly rate and, where labelled, F1 (`building_<id>_anomalyRate`, `building_<id>_f1`), for cross-building comparison. */
export function perBuildingMetrics(
  flags: Uint8Array,
  groups: { codes: Int32Array; dictionary: string[] } | null,
  labels: Float64Array | null,
): Record<string, number | null> {
  if (!groups) return {};
  const k = groups.dictionary.length;
  const rows = new Float64Array(k);
  const flagged = new Float64Array(k);
  const tp = new Float64Array(k);
  const pos = new Float64Array(k);
  for (let i = 0; i < flags.length; i++) {
    const c = groups.codes[i]!;
    if (c < 0) continue;
    rows[c]!++;
    flagged[c]! += flags[i]!;
    const l = labels ? labels[i]! : NaN;
    if (l > 0) {
      pos[c]!++;
      if (flags[i]) tp[c]!++;
    }
  }
  const out: Record<string, number | null> = {};
  groups.dictionary.forEach((id, c) => {
    if (!rows[c]) return;
    out[`building_${id}_anomalyRate`] = flagged[c]! / rows[c]!;
    if (labels) out[`building_${id}_f1`] = flagged[c]! + pos[c]! > 0 ? (2 * tp[c]!) / (flagged[c]! + pos[c]!) : null;
  });
  return out;
}
