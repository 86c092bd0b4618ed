import { randomUUID } from 'node:crypto';
import type { OpArgs } from '../../contract';
import type { ScoreResult } from '../../contract/ops/model';
import type { VersionMeta } from '../../contract/shared/registry';
import { scoreContextual } from '../../core/model/contextual/detector';
import type { ContextualArtifact } from '../../core/model/contextual/serialize';
import { MEMBERS, type ContextualScores } from '../../core/model/contextual/types';
import { recallByType } from '../../core/model/per-type';
import type { Dataset } from '../datasets';
import type { JobContext } from '../job';
import type { BackendState } from '../state';
import { labelColumn, numberColumns } from './columns';
import { contextualInput, faultTypeColumn, modelColumns } from './contextual-data';
import { asContextualFlags, contextualThreads } from './contextual-parallel';
import { scoreContextualClaimed, type ClaimedFlags, type FlagNotes } from './contextual-claim';
import { logAndWrite } from './score-output';
import { logContextualExplanations } from '../report/contextual-explanations';
import type { RouteArgs } from './score-ab';
import { scoreThreadOptions, statsOnThread } from './score-stats';
import { flaggedByScore, scoreChart, topReadings } from './score-view';
import { defineLazy } from '../lazy-field';

/** The version's recorded features (raw values for the log, the CSV and drift), falling back to its meters. */
export function versionFeatures(meta: VersionMeta, a: ContextualArtifact): string[] {
  const f = meta.params.features;
  return Array.isArray(f) && f.every((x) => typeof x === 'string') ? (f as string[]) : a.model.meters;
}

/** Scores a whole dataset with a contextual version (every building's sequence is needed for the rules). */
export function scoreDatasetContextual(ds: Dataset, meta: VersionMeta, a: ContextualArtifact, what: string): ContextualScores {
  return scoreContextual(a.model, contextualInput(ds, modelColumns(a.model, a.timeColumn, a.idColumn), what));
}

/**
 * scoreDatasetContextual's scores, flags and members, on several threads when
 * the data are large enough (else, or if a thread fails, on this one).
 */
export async function scoreDatasetContextualThreads(
  ds: Dataset,
  meta: VersionMeta,
  a: ContextualArtifact,
  what: string,
  state: Pick<BackendState, 'scoreWorkerScript' | 'logger'>,
  progress?: (rowsDone: number, total: number) => void,
  /** What the caller reads about the flags (contextual-claim.ts FlagNotes; the one-thread score keeps everything). */
  flags: FlagNotes = 'detail',
): Promise<{ scores: ClaimedFlags; threads: number }> {
  const input = contextualInput(ds, modelColumns(a.model, a.timeColumn, a.idColumn), what);
  const threads = contextualThreads(state, input);
  if (threads) {
    // An error thrown by `progress` (a cancel) ends the request; only a thread's failure falls back to one thread.
    let stopped = false;
    const report =
      progress &&
      ((done: number, total: number): void => {
        try {
          progress(done, total);
        } catch (error) {
          stopped = true;
          throw error;
        }
      });
    try {
      return { scores: await scoreContextualClaimed(a.model, input, threads, report, flags), threads: threads.threads };
    } catch (error) {
      if (stopped) throw error;
      state.logger.warn('Parallel contextual scoring failed; scoring on one thread instead.', {
        rows: input.time.length,
        error: (error as Error).message,
      });
    }
  }
  return { scores: { ...asContextualFlags(scoreContextual(a.model, input)), explained: null }, threads: 1 };
}

/** model.score for a contextual version; same result shape as the forest's, plus per-type recall and members. */
export async function scoreWithContextual(
  args: OpArgs<'model.score'> & Pick<RouteArgs, 'abAlias'>,
  ctx: JobContext,
  state: BackendState,
  ds: Dataset,
  meta: VersionMeta,
  a: ContextualArtifact,
  started: number,
): Promise<ScoreResult> {
  const what = `Scoring with ${meta.model} ${meta.version}`;
  const features = versionFeatures(meta, a);
  const columns = numberColumns(ds, features, what, 'datasetId');
  ctx.progress('scoring', 0, ds.table.rowCount);
  const { scores: s, threads } = await scoreDatasetContextualThreads(
    ds,
    meta,
    a,
    what,
    state,
    (done, total) => ctx.progress('scoring', done, total),
    // A logged request explains its flags (the threads find each one's top contributions); one not logged explains none.
    args.log ? 'explained' : 'none',
  );
  ctx.progress('scoring', ds.table.rowCount, ds.table.rowCount);
  const { scores, flags } = s;
  const latencyMs = performance.now() - started;
  const requestId = args.requestId ?? randomUUID();
  const label = labelColumn(ds, undefined);
  // No output file to format: the other thread, idle until the request ends, works out the score summary while this one logs.
  const stats = statsOnThread(args.out ? null : scoreThreadOptions(state), scores, label?.values ?? null, 0.5);
  const { logged, out, shown, ab } = await logAndWrite(
    args,
    ds,
    { model: meta.model, version: meta.version, features, requestId, latencyMs, scores, flags, values: columns },
    ctx,
    state,
    async (logged) => {
      if (logged > 0) await logContextualExplanations(state, ds, meta, a, s.flagged, requestId, s.explained);
    },
  );
  // From here on, what the output shows: under an A/B run, the challenger's scores and flags where it decided.
  let anomalies = 0;
  for (let i = 0; i < shown.flags.length; i++) anomalies += shown.flags[i]!;
  const { summary, evaluation } = await stats(shown.scores);
  const types = faultTypeColumn(ds);
  const flaggedByMember: Record<string, number> = Object.fromEntries(MEMBERS.map((m) => [m, 0]));
  for (let i = 0; i < flags.length; i++) if (flags[i]) flaggedByMember[MEMBERS[s.member[i]!]!]!++;
  const ranked = flaggedByScore(shown.scores, shown.flags);
  const result: ScoreResult = {
    model: meta.model,
    version: meta.version,
    datasetId: ds.info.id,
    features,
    rows: scores.length,
    anomalies,
    anomalyRate: scores.length ? anomalies / scores.length : 0,
    threshold: 0.5,
    latencyMs,
    threads,
    requestId,
    logged,
    scoreSummary: { p50: summary.p50, p95: summary.p95, p99: summary.p99, mean: summary.mean, max: summary.max },
    evaluation: evaluation
      ? { precision: evaluation.precision, recall: evaluation.recall, f1: evaluation.f1, rocAuc: evaluation.rocAuc }
      : null,
    out,
    // Filled in below, on first read: the CLI never prints the chart.
    chart: undefined as unknown as ScoreResult['chart'],
    top: topReadings(ds, features, columns, shown.scores, label?.values ?? null, ranked),
    normalize: 'none',
    idColumn: a.idColumn,
    warnings: s.warnings,
    algorithm: 'contextual',
    ...(types ? { recallByType: recallByType(shown.flags, types.codes, types.dictionary) } : {}),
    flaggedByMember,
    ...(ab ? { ab } : {}),
  };
  defineLazy(result, 'chart', () => scoreChart(ds, features, ranked));
  return result;
}
