import { GreenLensError, type OpArgs } from '../../contract';
import type { EvaluatedVersion, EvaluationResult } from '../../contract/shared/loop';
import type { VersionMeta } from '../../contract/shared/registry';
import { jaccard, pairedBootstrap, type BootstrapResult } from '../../core/loop/bootstrap';
import { recallByType } from '../../core/model/per-type';
import type { Registry } from '../../core/registry';
import { isValidVersion } from '../../core/registry';
import { ks2samp } from '../../core/stats/ks';
import type { Dataset } from '../datasets';
import type { JobContext } from '../job';
import { labelColumn } from '../model/columns';
import { faultTypeColumn } from '../model/contextual-data';
import { pickModel } from '../registry/pick-model';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { evaluationDataset } from './eval-data';
import { newJobId, startJob } from './jobs';
import { readRegistryPolicy, targetRate, type Policy } from './policy';
import { scorePair, type VersionScores } from './score-version';

/**
 * model.evaluate: the champion and a challenger scored on the same rows
 * (ARCHITECTURE §4a). With labels: precision, recall, F1, ROC AUC and recall
 * per fault type, with seeded paired-bootstrap intervals; always: anomaly rate
 * against the target, flag agreement (Jaccard), the KS shift between the two
 * score distributions, and scoring latency.
 */
export async function evaluateChallenger(
  args: OpArgs<'model.evaluate'>,
  ctx: JobContext,
  state: BackendState,
  policyOverride?: Policy,
): Promise<EvaluationResult> {
  const registry = await currentRegistry(state);
  const model = await pickModel(registry, args.model);
  const policy = policyOverride ?? (await readRegistryPolicy(registry.dir)).policy;
  const champion = await resolveChampion(registry, model, args.champion ?? policy.promote.alias);
  const challenger = await registry.getVersion(model, args.challenger);
  const features = Array.isArray(champion.params.features) ? (champion.params.features as string[]) : champion.trainingData.columns;
  const { ds, info } = await evaluationDataset(args.data, args.labelledOnly, ctx, state, { model, version: champion.version, features });
  const job = args.record ? await startJob(registry.dir, { kind: 'evaluate', trigger: 'manual', model, file: null }) : null;
  try {
    const result = await measure(
      registry,
      { model, champion, challenger, ds, info, policy, resamples: args.resamples, seed: args.seed },
      ctx,
      job?.id ?? newJobId(),
    );
    await job?.end('succeeded', { versions: [champion.version, challenger.version], outcome: summaryLine(result), evaluation: result });
    return result;
  } catch (error) {
    await job?.end('failed', { outcome: 'evaluation failed', error: (error as Error).message });
    throw error;
  }
}

/** An alias or a version number. */
export async function resolveChampion(registry: Registry, model: string, champion: string): Promise<VersionMeta> {
  if (isValidVersion(champion)) return registry.getVersion(model, champion);
  const entry = (await registry.manifest()).models[model];
  const version = entry?.aliases[champion];
  if (!version) {
    throw new GreenLensError('not_found', `Model ${model} has no alias ${champion} to evaluate against.`, {
      field: 'champion',
      hint: 'Promote a version first, or name the champion version (--champion 1.0.0).',
    });
  }
  return registry.getVersion(model, version);
}

interface Plan {
  model: string;
  champion: VersionMeta;
  challenger: VersionMeta;
  ds: Dataset;
  info: EvaluationResult['data'];
  policy: Policy;
  resamples: number;
  seed: number;
}

export async function measure(registry: Registry, p: Plan, ctx: JobContext, id: string): Promise<EvaluationResult> {
  ctx.progress('scoring', 0, 2);
  const { a, b, latencyRatio } = await scorePair(registry, p.champion, p.challenger, p.ds);
  ctx.progress('comparing', 1, 2);
  const label = labelColumn(p.ds, undefined);
  const labelled = label ? labelledRows(label.values) : null;
  const boot = labelled && labelled.labels.some((l) => l === 1) ? bootstrapOn(labelled, a, b, p.resamples, p.seed) : null;
  const types = faultTypeColumn(p.ds);
  const side = (meta: VersionMeta, s: VersionScores, figures: BootstrapResult['champion'] | null): EvaluatedVersion => {
    let anomalies = 0;
    for (let i = 0; i < s.flags.length; i++) anomalies += s.flags[i]!;
    return {
      version: meta.version,
      algorithm: s.algorithm,
      rows: s.flags.length,
      anomalies,
      anomalyRate: s.flags.length ? anomalies / s.flags.length : 0,
      latencyMs: s.latencyMs,
      latencyP95MsPer1k: s.latencyP95MsPer1k,
      labelled: figures
        ? {
            precision: figures.precision,
            recall: figures.recall,
            f1: figures.f1,
            rocAuc: figures.rocAuc,
            ci: figures.ci,
            recallByType: types ? recallByType(s.flags, types.codes, types.dictionary) : {},
          }
        : null,
    };
  };
  const ks = ks2samp(a.scores, b.scores);
  return {
    id,
    model: p.model,
    createdAt: new Date().toISOString(),
    data: p.info,
    champion: side(p.champion, a, boot?.champion ?? null),
    challenger: side(p.challenger, b, boot?.challenger ?? null),
    targetRate: targetRate(p.policy, p.champion),
    jaccard: jaccard(a.flags, b.flags),
    latencyRatio,
    scoreShift: { ks: ks.statistic, pValue: ks.pValue },
    delta: boot?.delta ?? null,
    bootstrap: { resamples: p.resamples, seed: p.seed },
  };
}

function labelledRows(values: Float64Array): { rows: Uint32Array; labels: Uint8Array } {
  const rows: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) rows.push(i);
  return { rows: Uint32Array.from(rows), labels: Uint8Array.from(rows, (r) => (values[r]! !== 0 ? 1 : 0)) };
}

function bootstrapOn(l: { rows: Uint32Array; labels: Uint8Array }, a: VersionScores, b: VersionScores, resamples: number, seed: number) {
  const pick = (s: VersionScores) => ({
    scores: Float64Array.from(l.rows, (r) => s.scores[r]!),
    flags: Uint8Array.from(l.rows, (r) => s.flags[r]!),
  });
  return pairedBootstrap(pick(a), pick(b), l.labels, resamples, seed);
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** One line for the job history and a deployment event. */
export function summaryLine(r: EvaluationResult): string {
  const f1 =
    r.champion.labelled && r.challenger.labelled
      ? `, F1 ${r.champion.labelled.f1.toFixed(3)} → ${r.challenger.labelled.f1.toFixed(3)}`
      : '';
  return (
    `${r.challenger.version} vs ${r.champion.version} on ${r.data.name} (${r.data.rows.toLocaleString('en-US')} rows)` +
    `: anomaly rate ${pct(r.champion.anomalyRate)} → ${pct(r.challenger.anomalyRate)}${f1}, Jaccard ${r.jaccard.toFixed(2)}`
  );
}
