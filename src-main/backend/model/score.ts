import type { ModelNamed } from '../registry/pick-model';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { OpArgs } from '../../contract';
import { GreenLensError } from '../../contract/shared/errors';
import type { ScoreResult } from '../../contract/ops/model';
import { predict, scoreSamples, type IForestModel } from '../../core/model';
import { scoreSamplesParallel } from './parallel-score';
import { PARALLEL_SCORE_MIN_ROWS, prestartForFile } from './score-threads';
import type { JobContext } from '../job';
import { currentRegistry, registryDirOf } from '../registry-access';
import type { BackendState } from '../state';
import { defineLazy } from '../lazy-field';
import { labelColumn, timeColumn } from './columns';
import { forestFlagExplanationsBetween, logFlagExplanations } from '../report/explanation-log';
import { logAndWrite } from './score-output';
import type { RouteArgs } from './score-ab';
import { modelInput, type ModelInput } from './normalize';
import { scoreThreadOptions, statsOnThread } from './score-stats';
import { flaggedByScore, scoreChart, topReadings } from './score-view';
import { scoreWithContextual } from './score-contextual';
import { loadDetector, resolveVersion, type LoadedVersion } from './versions';
import type { ScoreAhead } from './score-ahead';
import type { Dataset } from '../datasets';
import type { VersionMeta } from '../../contract/shared/registry';

const CHUNK_ROWS = 16_384;
const PARALLEL_MIN_ROWS = PARALLEL_SCORE_MIN_ROWS;

/**
 * For a caller about to import and score a file of `inputBytes` (the CLI's
 * score): starts the scoring threads now, so their start-up overlaps reading
 * the file (prestartForFile). True when it started some (or they were started already).
 */
export function prestartScoreThreads(state: Pick<BackendState, 'scoreWorkerScript'>, inputBytes: number): boolean {
  return !!state.scoreWorkerScript && prestartForFile(state.scoreWorkerScript, inputBytes);
}

/**
 * Scores in chunks so progress shows and a cancel is seen between chunks;
 * each chunk is preprocessed on its own, so scaling never holds a second
 * copy of the whole data.
 */
function scoreInChunks(model: IForestModel, input: ModelInput, report: (rowsDone: number) => void): Float64Array {
  const rows = input.raw[0]!.length;
  const out = new Float64Array(rows);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    report(start);
    const end = Math.min(rows, start + CHUNK_ROWS);
    out.set(scoreSamples(model, input.forestView(start, end)), start);
  }
  report(rows);
  return out;
}

/**
 * Large inputs go to several threads, each reporting its rows as it goes (summed
 * into one count); if a thread cannot start, the same scores come from this
 * thread. Progress never goes back: a fallback after part of the rows were
 * reported stays at that count until it passes it (a cancel is still seen).
 */
async function scoreAll(
  model: IForestModel,
  input: ModelInput,
  ctx: JobContext,
  state: Pick<BackendState, 'scoreWorkerScript' | 'logger'>,
): Promise<{ scores: Float64Array; threads: number }> {
  const { scoreWorkerScript: workerScript, logger } = state;
  const rows = input.raw[0]!.length;
  let high = -1;
  const report = (done: number): void => {
    if (done <= high) return ctx.throwIfCancelled();
    high = done;
    ctx.progress('scoring', done, rows);
  };
  const threads = Math.min(availableParallelism(), Math.floor(rows / (PARALLEL_MIN_ROWS / 2)));
  if (!workerScript || rows < PARALLEL_MIN_ROWS || threads < 2) {
    logger.debug('Scoring on one thread.', { rows, reason: !workerScript ? 'no scoring-thread script' : 'too few rows or cores' });
    return { scores: scoreInChunks(model, input, report), threads: 1 };
  }
  report(0);
  try {
    const scores = await scoreSamplesParallel(model, input.forestView(0, rows), {
      workerScript,
      threads,
      chunkRows: CHUNK_ROWS,
      progress: (done) => report(done),
    });
    logger.debug('Scored on several threads.', { rows, threads });
    return { scores, threads };
  } catch (error) {
    if (error instanceof GreenLensError && error.code === 'cancelled') throw error;
    logger.warn('Parallel scoring failed; scoring on one thread instead.', { rows, threads, error: (error as Error).message });
    return { scores: scoreInChunks(model, input, report), threads: 1 };
  }
}

/** Scores from the rows scored while the file was read; the rest are scored now (progress as in scoreAll). */
async function scoreWithAhead(ahead: ScoreAhead, raw: Float64Array[], ctx: JobContext): Promise<{ scores: Float64Array; threads: number }> {
  const rows = raw[0]!.length;
  ctx.progress('scoring', 0, rows);
  return ahead.finish(raw, (done) => {
    ctx.throwIfCancelled();
    ctx.progress('scoring', done, rows);
  });
}

/**
 * model.score: one scoring request. Latency is the wall time from the request
 * to having flags (resolve, load and check the artifact, score); writing the
 * log and the output file come after and are not part of it.
 */
export async function scoreDataset(
  args: ModelNamed<OpArgs<'model.score'>> & Pick<RouteArgs, 'abAlias'>,
  ctx: JobContext,
  state: BackendState,
): Promise<ScoreResult> {
  const started = performance.now();
  // Scoring started while the file was read (score-ahead.ts): used only if it scored this dataset with this version.
  const ahead = state.scoreAhead;
  state.scoreAhead = null;
  try {
    const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
    const registry = await currentRegistry(state);
    const meta = await resolveVersion(registry, args.model, args);
    const detector = await loadDetector(registry, meta);
    const serves = detector.kind === 'isolation-forest' && detector.preprocess.kind === 'none' && !!ahead?.serves(ds.info.id, meta);
    // Not used: its thread must be back in the pool before this scoring asks for one.
    if (ahead && !serves) await ahead.release();
    if (detector.kind === 'contextual') return await scoreWithContextual(args, ctx, state, ds, meta, detector.artifact, started);
    return await scoreForest(args, ctx, state, ds, meta, detector, serves ? ahead : null, started);
  } finally {
    void ahead?.release();
  }
}

async function scoreForest(
  args: ModelNamed<OpArgs<'model.score'>> & Pick<RouteArgs, 'abAlias'>,
  ctx: JobContext,
  state: BackendState,
  ds: Dataset,
  meta: VersionMeta,
  loaded: LoadedVersion,
  ahead: ScoreAhead | null,
  started: number,
): Promise<ScoreResult> {
  const registry = await currentRegistry(state);
  const { model, preprocess } = loaded;
  const input = modelInput(ds, loaded, `Scoring with ${meta.model} ${meta.version}`);
  // Raw values from here on: the log feeds drift checks, which compare against the raw reference profile.
  const columns = input.raw;
  const { scores, threads } = ahead ? await scoreWithAhead(ahead, columns, ctx) : await scoreAll(model, input, ctx, state);
  const flags = predict(model, scores);
  const latencyMs = performance.now() - started;
  const requestId = args.requestId ?? randomUUID();

  const label = labelColumn(ds, undefined);
  // The other thread works out the score summary while this one logs (score-stats.ts); an output file's rows go to it
  // after that (this thread formats the rows it reaches first): the summary last, after the rows, held up the end.
  const stats = statsOnThread(scoreThreadOptions(state), scores, label?.values ?? null, model.threshold);
  // The flags' explanations are worked out between the log's writes (block by block), not after them.
  const explaining = args.log
    ? forestFlagExplanationsBetween(model, flags, (s, e) => input.forestView(s, e), timeColumn(ds.table, ds.roles), Date.now())
    : null;
  explaining?.catch(() => undefined);
  const { logged, out, shown, ab } = await logAndWrite(
    args,
    ds,
    { model: meta.model, version: meta.version, features: model.features, requestId, latencyMs, scores, flags, values: columns },
    ctx,
    state,
    async (logged) => {
      if (logged === 0 || !explaining) return;
      const flagsExplained = await explaining;
      await logFlagExplanations(registry.dir, {
        requestId,
        model: meta.model,
        version: meta.version,
        time: Date.now(),
        flags: flagsExplained,
      });
    },
    stats.threadFree,
  );

  // From here on, what the output shows: under an A/B run, the challenger's scores and flags where it decided.
  let anomalies = 0;
  for (let i = 0; i < shown.flags.length; i++) anomalies += shown.flags[i]!;
  const { summary, evaluation } = await stats(shown.scores);
  const ranked = flaggedByScore(shown.scores, shown.flags);
  const result: ScoreResult = {
    model: meta.model,
    version: meta.version,
    datasetId: ds.info.id,
    features: model.features,
    rows: scores.length,
    anomalies,
    anomalyRate: scores.length ? anomalies / scores.length : 0,
    threshold: model.threshold,
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
    top: topReadings(ds, model.features, columns, shown.scores, label?.values ?? null, ranked),
    normalize: preprocess.kind,
    idColumn: preprocess.kind === 'per-id' ? preprocess.idColumn : null,
    warnings: input.warnings,
    ...(ab ? { ab } : {}),
  };
  defineLazy(result, 'chart', () => scoreChart(ds, model.features, ranked));
  return result;
}
