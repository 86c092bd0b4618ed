import type { OpArgs } from '../../contract';
import type { Contribution, ExplainResult } from '../../contract/ops/model';
import type { VersionMeta } from '../../contract/shared/registry';
import { causeOf } from '../../core/model/contextual/cause';
import type { ContextualArtifact } from '../../core/model/contextual/serialize';
import type { ContextualScores } from '../../core/model/contextual/types';
import { hourOfWeek } from '../../core/model/contextual/towt';
import type { Dataset } from '../datasets';
import { finiteOrNull, idAt, idColumn, numberColumns, timeColumn } from './columns';
import { scoreDatasetContextual } from './score-contextual';
import type { FeatureReference } from '../../core/model';

/**
 * Explaining one reading needs its building's whole sequence (rules, day
 * type, trailing window), so the dataset is scored once and the result kept
 * for the next reading of the same dataset and version.
 */
let last: { key: string; scores: ContextualScores } | null = null;

function scored(ds: Dataset, meta: VersionMeta, a: ContextualArtifact): ContextualScores {
  const key = `${ds.info.id}:${meta.artifact.sha256}:${ds.table.rowCount}`;
  if (last?.key === key) return last.scores;
  const scores = scoreDatasetContextual(ds, meta, a, `Explaining with ${meta.model} ${meta.version}`);
  last = { key, scores };
  return scores;
}

export function explainContextual(
  args: OpArgs<'model.explain'>,
  ds: Dataset,
  meta: VersionMeta,
  a: ContextualArtifact,
  reference: Record<string, FeatureReference>,
): ExplainResult {
  const s = scored(ds, meta, a);
  const row = args.row;
  const m = a.model;
  const what = `Explaining with ${meta.model} ${meta.version}`;
  const meterValues = numberColumns(ds, m.meters, what, 'datasetId').map((c) => c[row]!);
  const stuckValues = numberColumns(ds, m.stuckColumns, what, 'datasetId').map((c) => c[row]!);
  const times = timeColumn(ds.table, ds.roles);
  const t = times ? times[row]! : NaN;
  const temp = m.temperature ? numberColumns(ds, [m.temperature], what, 'datasetId')[0]![row]! : NaN;
  // "Closed" for the cause: the meter's baseline calls this hour of the week unoccupied.
  const building = m.buildings.find((b) => b.id === idAt(idColumn(ds.table, ds.roles), row));
  const towt = (building?.meters ?? m.fleet)[Math.max(0, s.feature[row]! < m.meters.length ? s.feature[row]! : 0)]!.towt;
  const closed = Number.isFinite(t) ? towt.occupied[hourOfWeek(t)] === 0 : false;
  const cause = causeOf(m, s, row, { meters: meterValues, stuck: stuckValues }, t, temp, closed);
  const positive = m.meters.map((_, j) => Math.max(0, s.z[j]![row]!) || 0);
  const sum = positive.reduce((x, y) => x + y, 0);
  const contributions: Contribution[] = m.meters
    .map((f, j): Contribution => {
      const ref = reference[f] ?? { p05: NaN, p50: NaN, p95: NaN };
      const v = meterValues[j]!;
      return {
        feature: f,
        share: sum > 0 ? positive[j]! / sum : 0,
        value: finiteOrNull(v),
        reference: { p05: finiteOrNull(ref.p05), p50: finiteOrNull(ref.p50), p95: finiteOrNull(ref.p95) },
        direction: v > ref.p95 ? 'high' : v < ref.p05 ? 'low' : 'within',
        normalized: finiteOrNull(s.z[j]![row]),
        expected: finiteOrNull(s.expected[j]![row]),
      };
    })
    .sort((x, y) => Math.abs(y.normalized ?? 0) - Math.abs(x.normalized ?? 0))
    .slice(0, args.topK);
  return {
    model: meta.model,
    version: meta.version,
    datasetId: ds.info.id,
    row,
    time: finiteOrNull(t),
    id: idAt(idColumn(ds.table, ds.roles), row),
    score: s.scores[row]!,
    flagged: s.flags[row] === 1,
    threshold: 0.5,
    normalize: 'none',
    contributions,
    algorithm: 'contextual',
    member: cause.member,
    driverFeature: cause.feature,
    likelyFault: cause.likelyFault,
    cause: cause.text,
  };
}
