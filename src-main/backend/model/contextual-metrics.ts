import { evaluate, summarizeScores } from '../../core/model';
import { MEMBERS, type ContextualScores, type ContextualSettings } from '../../core/model/contextual/types';
import { recallByType } from '../../core/model/per-type';

/**
 * Training metrics of a contextual version: the ensemble's figures, each
 * member's own (ROC AUC of its score, recall and flagged share at the
 * ensemble threshold), and recall per fault type. Flat numbers, so
 * `versions compare` can list each.
 */
export function contextualMetrics(
  s: ContextualScores,
  settings: ContextualSettings,
  labels: Float64Array | null,
  types: { codes: Int32Array; dictionary: string[] } | null,
): Record<string, number | null> {
  const n = s.scores.length;
  const summary = summarizeScores(s.scores);
  const out: Record<string, number | null> = {
    scoreP50: summary.p50,
    scoreP95: summary.p95,
    scoreP99: summary.p99,
    scoreMean: summary.mean,
    anomalyRate: evaluate(s.scores, 0.5).anomalyRate,
    precision: null,
    recall: null,
    f1: null,
    rocAuc: null,
  };
  const known = labels ? Array.from(labels.keys()).filter((i) => !Number.isNaN(labels[i]!)) : [];
  const pickL = (a: ArrayLike<number>): Float64Array => Float64Array.from(known, (i) => a[i]!);
  const lab = labels && known.length ? pickL(labels) : null;
  if (lab) {
    const e = evaluate(pickL(s.scores), 0.5, lab).labelled!;
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
      const e = evaluate(pickL(own), settings.threshold / (w > 0 ? w : 1), lab).labelled!;
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
