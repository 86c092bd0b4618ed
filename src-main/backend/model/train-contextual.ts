import { withSeason } from '../../core/drift/season';
import type { Lineage } from '../../contract/shared/loop';
import { GreenLensError, type OpArgs } from '../../contract';
import type { TrainParams, TrainResult } from '../../contract/ops/model';
import { buildReferenceProfile, type ReferenceProfile } from '../../core/drift/profile';
import {
  TRAINING_SCORE_ROWS,
  buildingBases,
  contextualSettings,
  dayTypingOf,
  fitContextualUntilForest,
  fitFleet,
  fitFrame,
  scoreContextual,
  type ContextualNames,
  type DayTyping,
  type Prefitted,
} from '../../core/model/contextual/detector';
import { scoreSamples } from '../../core/model/isolation-forest';
import type { IForestModel } from '../../core/model/types';
import { scoreSamplesParallel } from './parallel-score';
import { finiteAtShare } from '../../core/model/contextual/robust';
import { contextualArtifactToJson } from '../../core/model/contextual/serialize';
import type {
  BuildingModel,
  ContextualInput,
  ContextualModel,
  ContextualScores,
  ContextualSettings,
} from '../../core/model/contextual/types';
import {
  buildingCount,
  contextualThreads,
  contextualThreadsFor,
  prepareBuildingPass,
  scoreContextualParallel,
  startEarlyPass,
  startPreparedPass,
  type ContextualThreads,
  type EarlyBuildingPass,
  type PreparedBuildingPass,
  type StartedBuildingPass,
} from './contextual-parallel';
import { progressCommitted, type JobContext } from '../job';
import { currentRegistry, registryDirOf } from '../registry-access';
import type { BackendState } from '../state';
import { featureNames, labelColumn, numberColumns } from './columns';
import { contextualMetrics, perBuildingMetrics } from './contextual-metrics';
import { chooseContextualColumns, contextualInput, faultTypeColumn, modelColumns } from './contextual-data';
import { hashColumns } from './prepare';
import { withDatasetId } from '../loop/lineage';
import { contextualFeedback } from './contextual-feedback';
import { contextualImportance, contextualImportanceMetrics } from '../../core/model/contextual/importance';
import type { ContextualReply, ContextualTask } from './contextual-task';
import { runOnThread } from './score-threads';

/**
 * The entries of `a` where keep[i] is 1 (`a` itself when every row is kept).
 * A plain loop: typed-array filter with a callback costs seconds on a million rows.
 */
function kept<T extends Float64Array | Int32Array>(a: T, keep: Uint8Array): T {
  let count = 0;
  for (let i = 0; i < keep.length; i++) count += keep[i]!;
  if (count === a.length) return a;
  const out = new (a.constructor as { new (n: number): T })(count);
  for (let i = 0, k = 0; i < keep.length; i++) if (keep[i] === 1) out[k++] = a[i]!;
  return out;
}

/** a[rows[k]] for each k. */
function gatherRows<T extends Float64Array | Int32Array>(a: T, rows: Int32Array): T {
  const out = new (a.constructor as { new (n: number): T })(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = a[rows[k]!]!;
  return out;
}

/** Rows of an input where keep[i] is 1 (ids keep their dictionary). */
function subset(input: ContextualInput, keep: Uint8Array): ContextualInput {
  const f = <T extends Float64Array | Int32Array>(a: T): T => kept(a, keep);
  return {
    time: f(input.time),
    groups: input.groups && { codes: f(input.groups.codes), dictionary: input.groups.dictionary },
    temperature: input.temperature && f(input.temperature),
    meters: input.meters.map(f),
    stuckColumns: input.stuckColumns.map(f),
  };
}

/**
 * subset for a fit: the columns a fit reads (time, ids, temperature, meters), without the stuck-rule candidates.
 * A shared fit copies them once more, slice by slice, into shared memory (prepareBuildingPass: sliceLayout).
 */
function fitSubset(input: ContextualInput, keep: Uint8Array): ContextualInput {
  let count = 0;
  for (let i = 0; i < keep.length; i++) count += keep[i]!;
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < keep.length; i++) if (keep[i] === 1) rows[k++] = i;
  const f = <T extends Float64Array | Int32Array>(a: T): T => gatherRows(a, rows);
  return {
    time: f(input.time),
    groups: input.groups && { codes: f(input.groups.codes), dictionary: input.groups.dictionary },
    temperature: input.temperature && f(input.temperature),
    meters: input.meters.map(f),
    // The stuck-rule candidates are read on this thread only, after the buildings (withStuckColumns adds them).
    stuckColumns: [],
  };
}

/** A fitSubset's input with its stuck-rule candidates (the rows where keep[i] is 1). */
function withStuckColumns(input: ContextualInput, all: ContextualInput, keep: Uint8Array): ContextualInput {
  return { ...input, stuckColumns: all.stuckColumns.map((c) => kept(c, keep)) };
}

/** What a fit may build beside the detector, on another thread when it has one: the drift reference profile of these columns. */
type Reference = Record<string, Float64Array> | null;

/**
 * The buildings of a fit started on a worker now (null without threads, or when it could not start): the worker
 * builds `reference`, then claims slices of buildings (their days typed by `typing` if given) until fitDetector joins it.
 * `prepared`: the input laid out for it already (prepareFit).
 */
function startFit(
  input: ContextualInput,
  overrides: Partial<ContextualSettings>,
  state: BackendState,
  reference: Reference,
  typing: DayTyping | null,
  prepared: PreparedBuildingPass | null = null,
): StartedBuildingPass | null {
  const threads = contextualThreads(state, input);
  if (!threads) return null;
  try {
    return startPreparedPass(prepared ?? prepareBuildingPass(input, threads), contextualSettings(overrides), threads, reference, typing);
  } catch (error) {
    state.logger.warn('Starting a fit on another thread failed; fitting on this one.', { error: (error as Error).message });
    return null;
  }
}

/**
 * The first fit's worker started before its input is built (null without threads, or when it could not start): it
 * builds the drift reference profile of `reference` meanwhile, and fits the buildings of the input attachFit gives it.
 */
function startEarlyFit(
  rows: number,
  grouped: boolean,
  overrides: Partial<ContextualSettings>,
  state: BackendState,
  reference: Reference,
): EarlyBuildingPass | null {
  const threads = contextualThreadsFor(state, rows, grouped);
  if (!threads) return null;
  try {
    return startEarlyPass(contextualSettings(overrides), threads, reference, null);
  } catch (error) {
    state.logger.warn('Starting a fit on another thread failed; fitting on this one.', { error: (error as Error).message });
    return null;
  }
}

/** An early fit's buildings, `input` laid out for its worker (null when that failed: the worker is released). */
function attachFit(early: EarlyBuildingPass, input: ContextualInput, state: BackendState): StartedBuildingPass | null {
  const threads = contextualThreads(state, input);
  try {
    if (!threads) throw new Error('no threads for the input');
    return early.attach(prepareBuildingPass(input, threads));
  } catch (error) {
    void early.abandon().catch(() => undefined);
    state.logger.warn('Laying out a fit for another thread failed; fitting on this one.', { error: (error as Error).message });
    return null;
  }
}

/** The input of a fit startFit will start later, laid out now (null without threads, or when that failed: startFit lays it out then). */
function prepareFit(input: ContextualInput, state: BackendState): PreparedBuildingPass | null {
  const threads = contextualThreads(state, input);
  if (!threads) return null;
  try {
    return prepareBuildingPass(input, threads);
  } catch (error) {
    state.logger.warn('Laying out a fit for another thread failed; it is laid out when it starts.', { error: (error as Error).message });
    return null;
  }
}

/**
 * The detector fitted on `input`, progress under `phase`; a failure names the features. With threads (large data),
 * the buildings and their residual pass are fitted on two (this thread fits the fleet baseline while the worker
 * builds `reference`; `started` is that work begun earlier by startFit, with the same `typing`) and the forest
 * scores the training rows on two. `afterBuildings` runs once the buildings are fitted (before their pass is put
 * back in row order, when they were fitted on two threads): the worker is then free,
 * and what it returns, if not null, is work given to it meanwhile (another fit started), so the forest scores here
 * on this thread alone. `typing` types the buildings' days (a refit's: DayTyping). The result equals the one-thread fit.
 */
async function fitDetector(
  input: ContextualInput,
  names: ContextualNames,
  overrides: Partial<ContextualSettings>,
  state: BackendState,
  ctx: JobContext,
  phase: string,
  reference: Reference,
  scoreTraining: boolean,
  options: {
    started?: StartedBuildingPass | null;
    afterBuildings?: (buildings: BuildingModel[]) => unknown;
    /**
     * Work for the free worker while this thread prepares the forest; awaited before the forest scores on it. Given
     * to the worker as soon as the buildings are fitted (before their pass is put back in row order), when
     * afterBuildings gave it nothing else.
     */
    beforeForest?: () => Promise<unknown>;
    /** Work for the free worker, once the forest has scored, while this thread finishes the fit. */
    afterForest?: () => unknown;
    typing?: DayTyping | null;
    /**
     * The training scores of a hash sample of the rows only, on a large fit (the step's `sample`, trainingRows then):
     * scored on this thread alone, without waiting for beforeForest's work.
     */
    sampleTraining?: boolean;
  } = {},
): Promise<{
  model: ContextualModel;
  training: ContextualScores | null;
  /** The rows `training` is of (ascending); null = every row. */
  trainingRows: Int32Array | null;
  reference: ReferenceProfile | null;
}> {
  const settings = contextualSettings(overrides);
  const threads = contextualThreads(state, input);
  // fitContextual's own steps after the buildings: the fleet baseline and the residual pass.
  const total = buildingCount(input) + 2;
  const hooks = { progress: (done: number, all: number) => ctx.progress(phase, done, all) };
  let prefitted: Prefitted | null = null;
  let profile: ReferenceProfile | null = null;
  const typing = options.typing ?? null;
  const started = options.started ?? (threads ? startFit(input, overrides, state, reference, typing) : null);
  // Whether afterBuildings ran (from the join, before the pass is reordered), and beforeForest's work once started.
  let handed = false;
  let busy: unknown = null;
  let before: Promise<unknown> | undefined;
  if (started) {
    ctx.progress(phase, 0, total);
    try {
      const got = await started.join(
        () => {
          // What the fit computes from its input alone, here before this thread claims buildings (the worker
          // claims more of them meanwhile) rather than after them; its building series serve the fleet too.
          const frame = fitFrame(input, settings, scoreTraining);
          return { frame, fleet: fitFleet(input, settings, buildingBases(input, settings, frame.series), frame.series, frame.how) };
        },
        (done) => ctx.progress(phase, done, total),
        (buildings) => {
          handed = true;
          busy = options.afterBuildings?.(buildings) ?? null;
          if (busy === null) before = options.beforeForest?.();
        },
        // Only the scaled residuals are read at every row (the forest's columns): the rest of the pass stays as the
        // slices laid it out, read at the rows that need it (Prefitted.places), not put back in row order whole.
        true,
      );
      prefitted = {
        buildings: got.buildings,
        pass: got.pass,
        fleet: got.first?.fleet ?? null,
        frame: got.first?.frame ?? null,
        places: got.places,
      };
      profile = got.reference;
    } catch (error) {
      if (error instanceof GreenLensError) throw error; // cancelled
      state.logger.warn('Fitting buildings on several threads failed; fitting on one thread instead.', {
        rows: input.time.length,
        error: (error as Error).message,
      });
    }
  }
  if (prefitted && !handed) busy = options.afterBuildings?.(prefitted.buildings) ?? null;
  let fit: { model: ContextualModel; training: ContextualScores | null; trainingRows: Int32Array | null };
  try {
    if (!handed && busy === null) before = options.beforeForest?.();
    const step = fitContextualUntilForest(input, names, overrides, hooks, prefitted, typing);
    if (!prefitted && !handed) busy = options.afterBuildings?.(step.buildings) ?? null;
    if (scoreTraining && options.sampleTraining && step.sample) {
      // A few hundred thousand rows: here, while the worker does beforeForest's work (its promise handles its own failure).
      const rows = step.sample;
      const scores = await forestScores(
        step.forest,
        step.columns.map((c) => gatherRows(c, rows)),
        null,
        state,
      );
      options.afterForest?.();
      const sampled = step.finishSample(scores);
      return { ...sampled, trainingRows: rows, reference: reference && (profile ?? buildReferenceProfile(reference)) };
    }
    await before;
    const forestThreads = prefitted && busy === null ? threads : null;
    if (scoreTraining) {
      const scores = await forestScores(step.forest, step.columns, forestThreads, state);
      options.afterForest?.();
      fit = { ...step.finish(scores), trainingRows: null };
    } else {
      // Nobody reads this fit's training scores: only the rows calibrating the forest are scored.
      const rows = step.calibration;
      const columns = rows ? step.columns.map((c) => gatherRows(c, rows)) : step.columns;
      fit = { model: step.finishModel(await forestScores(step.forest, columns, forestThreads, state)), training: null, trainingRows: null };
    }
  } catch (error) {
    if (error instanceof GreenLensError) throw error; // cancelled
    throw new GreenLensError('invalid_input', `Training failed: ${(error as Error).message}.`, { field: 'features' });
  }
  return { ...fit, reference: reference && (profile ?? buildReferenceProfile(reference)) };
}

/** The forest's scores of the training rows, on several threads when there are (equal to one thread's). */
async function forestScores(
  forest: IForestModel,
  columns: Float64Array[],
  threads: ContextualThreads | null,
  state: BackendState,
): Promise<Float64Array> {
  if (threads) {
    try {
      return await scoreSamplesParallel(forest, columns, {
        workerScript: threads.workerScript,
        threads: threads.threads,
        execArgv: threads.execArgv,
      });
    } catch (error) {
      state.logger.warn('Scoring the training rows on several threads failed; scoring on one thread instead.', {
        rows: columns[0]?.length ?? 0,
        error: (error as Error).message,
      });
    }
  }
  return scoreSamples(forest, columns);
}

/** The worker's request for contextualMetrics: the scores it reads, not the whole ContextualScores. */
function metricsRequest(args: Parameters<typeof contextualMetrics>): Extract<ContextualTask, { task: 'contextual-metrics' }> {
  const [s, settings, labels, types] = args;
  return {
    task: 'contextual-metrics',
    scores: { scores: s.scores, flags: s.flags, memberScores: s.memberScores },
    settings,
    labels,
    types,
  };
}

/** The worker's request for contextualImportance. */
function importanceRequest(args: Parameters<typeof contextualImportance>): Extract<ContextualTask, { task: 'contextual-importance' }> {
  const [model, input, scores, seed] = args;
  return { task: 'contextual-importance', model, input, scores, seed };
}

/**
 * contextualMetrics started on a worker when there are threads and labels (the ROC AUCs' sorts are what cost),
 * else computed here at once; the figures are the same either way.
 */
function startMetrics(
  args: Parameters<typeof contextualMetrics>,
  threads: ContextualThreads | null,
  state: BackendState,
): Promise<ReturnType<typeof contextualMetrics>> {
  return onWorkerOrHere(
    threads,
    args[2] ? metricsRequest(args) : null,
    (reply) => (reply.task === 'contextual-metrics' ? reply.metrics : undefined),
    () => contextualMetrics(...args),
    'Computing the training metrics on another thread failed; computing them here instead.',
    state,
  );
}

/** contextualImportance started on a worker when there are threads, else computed here at once (the same either way). */
function startImportance(
  args: Parameters<typeof contextualImportance>,
  threads: ContextualThreads | null,
  state: BackendState,
): Promise<ReturnType<typeof contextualImportance>> {
  return onWorkerOrHere(
    threads,
    importanceRequest(args),
    (reply) => (reply.task === 'contextual-importance' ? reply.importance : undefined),
    () => contextualImportance(...args),
    'Measuring importance on another thread failed; measuring it here instead.',
    state,
  );
}

/**
 * A holdout's importance and then its figures (startImportance, startMetrics) in one request to the worker,
 * else here at once: taken together, the figures follow importance on the same thread.
 */
function startEvaluation(
  importanceArgs: Parameters<typeof contextualImportance>,
  metricsArgs: Parameters<typeof contextualMetrics>,
  threads: ContextualThreads | null,
  state: BackendState,
): { importance: Promise<ReturnType<typeof contextualImportance>>; figures: Promise<ReturnType<typeof contextualMetrics>> } {
  const both = onWorkerOrHere(
    threads,
    { task: 'contextual-evaluation', importance: importanceRequest(importanceArgs), metrics: metricsRequest(metricsArgs) },
    (reply) => (reply.task === 'contextual-evaluation' ? { importance: reply.importance, figures: reply.metrics } : undefined),
    () => ({ importance: contextualImportance(...importanceArgs), figures: contextualMetrics(...metricsArgs) }),
    'Measuring the holdout on another thread failed; measuring it here instead.',
    state,
  );
  return { importance: both.then((b) => b.importance), figures: both.then((b) => b.figures) };
}

/**
 * `request` run on a worker when there are threads (and a request), its answer taken by `pick`; else, or when
 * the worker fails (logged as `failed`), `here()` on this thread. Both must give the same result.
 */
function onWorkerOrHere<T>(
  threads: ContextualThreads | null,
  request: ContextualTask | null,
  pick: (reply: Extract<ContextualReply, { ok: true }>) => T | undefined,
  here: () => T,
  failed: string,
  state: BackendState,
): Promise<T> {
  if (!threads || !request) return Promise.resolve(here());
  return runOnThread<ContextualReply>(threads, request, []).then(
    (reply) => {
      const value = pick(reply);
      if (value === undefined) throw new Error('contextual worker answered another task');
      return value;
    },
    (error: unknown) => {
      state.logger.warn(failed, { error: (error as Error).message });
      return here();
    },
  );
}

/** contextualMetrics (startMetrics) while `beside` runs on this thread. */
async function metricsBeside<T>(
  args: Parameters<typeof contextualMetrics>,
  threads: ContextualThreads | null,
  state: BackendState,
  beside: () => T,
): Promise<[ReturnType<typeof contextualMetrics>, T]> {
  const pending = startMetrics(args, threads, state);
  const other = beside();
  return [await pending, other];
}

/** The holdout scored on several threads when given, its rows reported as the evaluating phase's progress. */
async function scoreHeldOut(
  model: ContextualModel,
  input: ContextualInput,
  threads: ContextualThreads | null,
  state: BackendState,
  ctx: JobContext,
): Promise<ContextualScores> {
  if (threads) {
    try {
      return await scoreContextualParallel(model, input, threads, (done, total) => ctx.progress('evaluating', done, total));
    } catch (error) {
      if (error instanceof GreenLensError) throw error; // cancelled
      state.logger.warn('Scoring the holdout on several threads failed; scoring on one thread instead.', {
        rows: input.time.length,
        error: (error as Error).message,
      });
    }
  }
  return scoreContextual(model, input);
}

/**
 * model.train with the contextual detector. With a label and a holdout share,
 * the last share of the time span is held out (a random split would leak the
 * neighbours the rules and the trailing window look at): the detector is
 * fitted on the earlier readings and measured on the later ones.
 */
export async function trainContextual(
  args: OpArgs<'model.train'> & { lineage?: Lineage; keptDatasetId?: string | null },
  ctx: JobContext,
  state: BackendState,
): Promise<TrainResult> {
  const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
  const features = featureNames(ds, args.features);
  const feedback = args.includeFeedback
    ? await contextualFeedback(ds, labelColumn(ds, args.label), (await currentRegistry(state)).dir, args.model)
    : null;
  const label = feedback ? feedback.label : labelColumn(ds, args.label);
  if (label && features.includes(label.name)) {
    throw new GreenLensError('invalid_input', `Column "${label.name}" cannot be both a feature and the label.`, {
      field: 'label',
      column: label.name,
    });
  }
  const cols = chooseContextualColumns(ds, features, args.meters);
  const registry = await currentRegistry(state);
  const all = contextualInput(ds, { ...cols, stuck: cols.stuckCandidates }, 'Training');
  const n = all.time.length;
  const finiteTime = new Uint8Array(n);
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    finiteTime[i] = Number.isFinite(all.time[i]!) ? 1 : 0;
    dropped += 1 - finiteTime[i]!;
  }
  let cutoff = Infinity;
  if (label && args.holdout > 0) {
    const at = finiteAtShare(all.time, 1 - args.holdout);
    cutoff = Number.isNaN(at) ? Infinity : at;
  }
  // Confirmed faults (feedback) stay out of the fit; in the holdout they are what the metrics look for.
  // Plain loops: a typed-array callback per reading costs a tenth of a second on a million of them.
  const exclude = feedback?.exclude ?? null;
  const fitKeep = new Uint8Array(n);
  const holdKeep = new Uint8Array(n);
  let fitRows = 0;
  let holdRows = 0;
  for (let i = 0; i < n; i++) {
    if (!finiteTime[i]) continue;
    const before = all.time[i]! < cutoff;
    fitKeep[i] = before && !exclude?.[i] ? 1 : 0;
    holdKeep[i] = before ? 0 : 1;
    fitRows += fitKeep[i]!;
    holdRows += holdKeep[i]!;
  }
  if (fitRows < 2) {
    throw new GreenLensError(
      'invalid_input',
      `Training needs at least 2 timestamped readings before the holdout; this data has ${fitRows}.`,
      {
        field: 'datasetId',
        hint: 'Use more data or lower the holdout.',
      },
    );
  }
  const started = performance.now();
  const overrides = { stuckHours: args.stuckHours, trees: Math.min(args.trees, 50), sampleSize: args.sampleSize, seed: args.seed };
  const names = { meters: cols.meters, stuckCandidates: cols.stuckCandidates, temperature: cols.temperature };
  // The drift reference profile is of the rows the registered version is fitted on: with a holdout the refit's (all rows), else these.
  const refit = holdRows > 0;
  const finalKeep = refit ? new Uint8Array(n) : fitKeep;
  if (refit) for (let i = 0; i < n; i++) finalKeep[i] = finiteTime[i] && !exclude?.[i] ? 1 : 0;
  const raw = numberColumns(ds, features, 'Training', 'features').map((c) => kept(c, finalKeep));
  const referenceColumns: Reference = Object.fromEntries(features.map((f, i) => [f, raw[i]!]));
  // The first fit's worker builds the reference profile (of the registered version's rows, refit or not) before it
  // claims buildings: it starts now, before this thread has built the fit's input and laid it out (the worker then
  // waits for that), and the refit's worker goes straight to its buildings.
  const early = startEarlyFit(fitRows, all.groups !== null, overrides, state, referenceColumns);
  let fitColumns: ContextualInput;
  let firstStarted: StartedBuildingPass | null;
  try {
    fitColumns = fitRows === n ? all : fitSubset(all, fitKeep);
    firstStarted = early && attachFit(early, fitColumns, state);
  } catch (error) {
    void early?.abandon().catch(() => undefined);
    throw error;
  }
  const input = fitColumns === all ? all : withStuckColumns(fitColumns, all, fitKeep);
  const finalInput = refit ? withStuckColumns(fitSubset(all, finalKeep), all, finalKeep) : input;
  // The refit's input laid out for its worker now, while the worker builds the reference profile and fits this fit's
  // buildings (which slices balance): laid out when the refit starts, the worker waited for it between the two fits.
  const refitPrepared = refit ? prepareFit(finalInput, state) : null;
  // The registered rows' hash (trainingData.sha256) of the input alone, here where the worker's buildings balance it
  // rather than at the end of the training, where this thread finishes last.
  const rawHash = hashColumns(raw);
  // The refit depends on neither this fit nor its evaluation: its buildings start on the worker as soon as this
  // fit's are done, and this thread finishes this fit and evaluates it meanwhile (with no thread to share with).
  const refitRun: { started: StartedBuildingPass | null } = { started: null };
  // After a failure (a cancel, say) between the refit's start and its join, the worker claims no more of its buildings.
  const stopRefitOnFailure = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      refitRun.started?.stop();
      throw error;
    }
  };
  // With a holdout, nothing reads the first fit's scores of its own rows: the registered version's are the refit's.
  const fit = await stopRefitOnFailure(() =>
    fitDetector(input, names, overrides, state, ctx, 'training', referenceColumns, !refit, {
      started: firstStarted,
      afterBuildings: refit
        ? (buildings) => (refitRun.started = startFit(finalInput, overrides, state, null, dayTypingOf(buildings), refitPrepared))
        : undefined,
    }),
  );
  // The registered version: the refit with a holdout, else this fit; its training scores are of finalRows (null = all).
  let final: { model: ContextualModel; training: ContextualScores };
  let finalRows: Int32Array | null = null;
  // A year of readings: the profile also keeps a sample of them with their days (drift against the same weeks, season.ts).
  const reference = fit.reference && withSeason(fit.reference, referenceColumns, kept(all.time, finalKeep));
  const trainingMs = performance.now() - started;
  ctx.progress('evaluating', 0, 1);
  const pickLabels = (keep: Uint8Array): Float64Array | null => (label ? kept(label.values, keep) : null);
  const typeCol = faultTypeColumn(ds);
  const pickTypes = (keep: Uint8Array) => typeCol && { codes: kept(typeCol.codes, keep), dictionary: typeCol.dictionary };
  const modelInput = (keep: Uint8Array) =>
    subset(contextualInput(ds, modelColumns(fit.model, cols.timeColumn, cols.idColumn), 'Training'), keep);
  // The worker is busy with the refit's buildings when it was started (the holdout is scored on this thread alone).
  const metricThreads = refitRun.started ? null : contextualThreads(state, input);
  const seed = args.seed ?? 0;
  let metrics: Record<string, number | null>;
  // Importance is measured where the quality figures are: the holdout, else the fitting rows; the worker computes
  // those figures (a ROC AUC per member, each a sort) meanwhile — with a holdout, once the refit has done with it.
  if (holdRows > 0) {
    const heldInput = modelInput(holdKeep);
    const held = await stopRefitOnFailure(() =>
      scoreHeldOut(fit.model, heldInput, metricThreads && contextualThreads(state, heldInput), state, ctx),
    );
    // The holdout measured the detector; the version itself is fitted on every reading, the holdout's
    // included. A time-of-week-and-temperature baseline that never saw the span's last share has not seen
    // those months (a year's last fifth is its autumn and early winter): scoring the next year with it
    // flagged ordinary winter readings (year-2 precision 0.32 instead of 0.53 on a 6-building simulation).
    // Its buildings' days are typed by the evaluated fit's models instead of a first fit of their own (DayTyping).
    // The worker, free once the refit's buildings are fitted, computes the holdout's figures while this thread
    // prepares the refit's forest.
    const heldArgs: Parameters<typeof contextualMetrics> = [held, fit.model.settings, pickLabels(holdKeep), pickTypes(holdKeep)];
    // Then, once the forest has scored, importance, while this thread finishes the refit.
    const onHold: {
      figures: Promise<ReturnType<typeof contextualMetrics>> | null;
      importance: Promise<ReturnType<typeof contextualImportance>> | null;
    } = { figures: null, importance: null };
    const importanceArgs: Parameters<typeof contextualImportance> = [fit.model, heldInput, held, seed];
    // A large refit's training figures are of a hash sample of its rows (TRAINING_SCORE_ROWS), which the forest scores
    // on this thread: the worker measures the holdout's importance and figures meanwhile.
    const sampled = finalInput.time.length > TRAINING_SCORE_ROWS;
    const worker = contextualThreads(state, input);
    const second = await fitDetector(finalInput, names, overrides, state, ctx, 'refitting', null, true, {
      started: refitRun.started,
      typing: dayTypingOf(fit.model.buildings),
      beforeForest: () => {
        if (!sampled) return (onHold.figures = startMetrics(heldArgs, worker, state));
        const both = startEvaluation(importanceArgs, heldArgs, worker, state);
        onHold.importance = both.importance;
        onHold.figures = both.figures;
        return both.figures;
      },
      afterForest: sampled ? undefined : () => (onHold.importance = startImportance(importanceArgs, worker, state)),
      sampleTraining: sampled,
    });
    // The refit overlaps the evaluation: from the first fit's start to the refit's end.
    const fittingMs = performance.now() - started;
    final = { model: second.model, training: second.training! };
    finalRows = second.trainingRows;
    // The registered model's distribution and anomaly rate, on the readings it was fitted on (a hash sample of them, finalRows, on a large fit).
    const spread = contextualMetrics(final.training, final.model.settings, null, null);
    // Quality figures are the holdout's (computed here now if the worker was not given them).
    const holdFigures = await (onHold.figures ?? startMetrics(heldArgs, null, state));
    const importance = await (onHold.importance ?? startImportance(importanceArgs, null, state));
    const quality = Object.fromEntries(Object.entries(holdFigures).filter(([k]) => !/^score|^anomalyRate$|_flagged$|_weight$/.test(k)));
    metrics = {
      trainingMs: Math.round(fittingMs * 10) / 10,
      ...spread,
      droppedRows: dropped,
      ...quality,
      holdoutRows: holdRows,
      evaluatedOn: 1,
      ...contextualImportanceMetrics(features, importance),
      refittedOnAll: 1,
    };
  } else {
    const [onTrain, importance] = await metricsBeside(
      [fit.training!, fit.model.settings, pickLabels(fitKeep), pickTypes(fitKeep)],
      metricThreads,
      state,
      () => contextualImportance(fit.model, modelInput(fitKeep), fit.training!, seed),
    );
    final = { model: fit.model, training: fit.training! };
    metrics = { trainingMs: Math.round(trainingMs * 10) / 10, ...onTrain, droppedRows: dropped };
    if (label) metrics.evaluatedOn = 0;
    Object.assign(metrics, contextualImportanceMetrics(features, importance));
  }
  if (feedback) {
    let excluded = 0;
    for (let i = 0; i < n; i++) excluded += feedback.exclude?.[i] && finiteTime[i] && (refit || all.time[i]! < cutoff) ? 1 : 0;
    Object.assign(metrics, { feedbackReadings: feedback.matched, feedbackFaultsExcluded: excluded });
  }
  // Per building, on the fitting rows (the holdout is a short window): anomaly rate and F1 where labelled.
  const scoredRows = <T extends Float64Array | Int32Array>(a: T): T => (finalRows ? gatherRows(a, finalRows) : a);
  const scoredLabels = pickLabels(finalKeep);
  const scoredGroups = finalInput.groups && { codes: scoredRows(finalInput.groups.codes), dictionary: finalInput.groups.dictionary };
  Object.assign(metrics, perBuildingMetrics(final.training.flags, scoredGroups, scoredLabels && scoredRows(scoredLabels)));
  if (finalRows) metrics.trainingScoreRows = finalRows.length;
  // Which buildings had too little history for their own baseline (1 = scored with the fleet's), for the Models tab.
  if (finalInput.groups) for (const b of final.model.buildings) if (b.id) metrics[`building_${b.id}_fleet`] = b.meters ? 0 : 1;
  metrics.buildings = final.model.buildings.length;
  metrics.fleetBuildings = final.model.buildings.filter((b) => !b.meters).length;
  // The first fitDetector builds it, of the registered version's rows.
  if (!reference) throw new Error('the drift reference profile was not built');

  const params: TrainParams = {
    algorithm: 'contextual',
    features,
    label: label?.name ?? null,
    trees: final.model.forest.params.nTrees,
    sampleSize: args.sampleSize,
    subsample: final.model.forest.subsample,
    contamination: args.contamination,
    seed: args.seed,
    holdout: label ? args.holdout : 0,
    threshold: 0.5,
    normalize: 'none',
    idColumn: cols.idColumn,
    meters: cols.meters,
    temperatureColumn: cols.temperature,
    timeColumn: cols.timeColumn,
    stuckHours: args.stuckHours,
    weights: { ...final.model.settings.weights },
    zThreshold: final.model.settings.threshold,
  };
  ctx.progress('evaluating', 1, 1);
  ctx.progress('registering', 0, 1);
  const meta = await registry.registerVersion({
    model: args.model,
    version: args.version,
    params: { ...params },
    metrics,
    trainingData: await withDatasetId(args, {
      rows: finalInput.time.length,
      columns: features,
      sha256: rawHash,
      source: ds.info.name,
    }),
    tags: args.tags,
    description: args.description,
    artifact: contextualArtifactToJson({ kind: 'contextual', timeColumn: cols.timeColumn, idColumn: cols.idColumn, model: final.model }),
    reference,
    ...(args.lineage ? { lineage: args.lineage } : {}),
  });
  ctx.emit({ type: 'changed', topic: 'versions' });
  let versionMeta = meta;
  if (args.alias) {
    await registry.promote(args.model, meta.version, args.alias, { reason: `set when training ${meta.version}` });
    versionMeta = await registry.getVersion(args.model, meta.version);
    ctx.emit({ type: 'changed', topic: 'deployments' });
  }
  progressCommitted(ctx, 'registering', 1);
  const warnings = cols.meterNote ? [cols.meterNote, ...final.training.warnings] : final.training.warnings;
  return { model: args.model, version: meta.version, params, metrics: meta.metrics, versionMeta, warnings };
}
