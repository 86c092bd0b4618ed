import { DAY_MS } from '../../core/data/calendar';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GreenLensError, parseRequest, type OpArgs, type OpInput } from '../../contract';
import type { WatchAction, WatchedFile, WatchRunResult } from '../../contract/shared/loop';
import type { VersionMeta } from '../../contract/shared/registry';
import { appendJobLine } from '../../core/loop/jobs';
import { checkPromotion, pct, rateBand } from '../../core/loop/rules';
import { readWatchState, writeWatchState, type WatchEntry } from '../../core/loop/watch-state';
import { requestIdHash } from '../../core/monitoring';
import { concatTables, hasColumnsOf } from '../../core/data/table';
import { DEFAULT_SETTINGS as CONTEXTUAL_DEFAULTS } from '../../core/model/contextual/types';
import { withLock, type DeploymentActor, type Registry } from '../../core/registry';
import { pidAlive } from '../../core/registry/lock';
import type { Dataset } from '../datasets';
import { createJobContext, type JobContext } from '../job';
import { scoreDataset } from '../model/score';
import { trainModel } from '../model/train';
import { timeColumn } from '../model/columns';
import { modelHealth } from '../monitoring/health';
import { runDriftReport } from '../monitoring/drift';
import { predictionLog } from '../prediction-sink';
import { pickModel } from '../registry/pick-model';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { importFileDataset } from './eval-data';
import { measure, resolveChampion, summaryLine } from './evaluate';
import { startJob, type JobHandle } from './jobs';
import { lastDays, dataWindowOf, windowedDataset, windowLabel } from './lineage';
import { lineageDataset, outsideSpans } from './lineage-dataset';
import { readPolicyFile, readRegistryPolicy, targetRate, type Policy } from './policy';

/**
 * One pass of `watch` over a folder (ARCHITECTURE §4a): every file not yet in
 * watch/state.json is scored with production (logged under a request id fixed
 * for that file), checked for drift against production's profile and for
 * health, and then, per the policy, a challenger is trained on the last
 * `retrain.window` days of it, evaluated against production on the same rows
 * and promoted when every rule passes. Each step is resumable: a restart after
 * a kill finds the started file, sees its request in the log, finds its
 * challenger by lineage and its promotion in the alias, and finishes it.
 */

const DATA_FILE = /\.(csv|parquet)$/i;

/** One pass at a time per backend: the app's watcher and a Run now click queue behind each other. */
const passTails = new WeakMap<BackendState, Promise<unknown>>();

export function watchOnce(args: OpArgs<'watch.run'>, ctx: JobContext, state: BackendState): Promise<WatchRunResult> {
  const previous = passTails.get(state) ?? Promise.resolve();
  const mine = previous.then(() => watchPass(args, ctx, state));
  passTails.set(
    state,
    mine.catch(() => undefined),
  );
  return mine;
}

async function watchPass(args: OpArgs<'watch.run'>, ctx: JobContext, state: BackendState): Promise<WatchRunResult> {
  const registry = await currentRegistry(state);
  const model = await pickModel(registry, args.model);
  const policy = args.policyPath ? await readPolicyFile(path.resolve(args.policyPath)) : (await readRegistryPolicy(registry.dir)).policy;
  const folder = path.resolve(args.folder);
  const names = await listDataFiles(folder);
  const known = (await readWatchState(registry.dir)).folders[folder] ?? {};
  const todo = names.filter((n) => known[n]?.status !== 'done' && known[n]?.status !== 'failed');
  const { ready, pending } = await settled(folder, todo, args.settleMs);
  const result: WatchRunResult = { processed: [], failed: [], pending };
  for (const [i, name] of ready.entries()) {
    ctx.progress('watching', i, ready.length);
    const file = path.join(folder, name);
    let entry: WatchEntry | null = null;
    let job: JobHandle | null = null;
    try {
      const claimed = await claimFile(registry, { folder, name, file, model, policy });
      // Finished meanwhile, or being processed by another live process (a headless watch beside the app).
      if (!claimed) continue;
      ({ entry, job } = claimed);
      const { done, span } = await withSessionCleanup(state, folder, () =>
        processFile(registry, { model, policy, file, entry: claimed.entry }, ctx, state),
      );
      await saveEntry(registry.dir, folder, name, {
        ...entry,
        status: 'done',
        endedAt: new Date().toISOString(),
        result: done,
        ...(span ? { span } : {}),
      });
      await job.end('succeeded', {
        versions: done.actions.map((a) => a.version).filter((v, k, all) => all.indexOf(v) === k),
        outcome: outcomeLine(done),
      });
      result.processed.push(done);
    } catch (error) {
      if (error instanceof GreenLensError && error.code === 'cancelled') {
        // Released, not failed: the file stays started without an owner, so the next pass (here or in another process) resumes it.
        if (entry) await saveEntry(registry.dir, folder, name, withoutOwner(entry));
        await job?.end('cancelled', { outcome: 'cancelled; the file is resumed by the next pass' });
        throw error;
      }
      const message = error instanceof Error ? error.message : String(error);
      state.logger.warn(`watch: ${file} failed: ${message}`);
      const base: Omit<WatchEntry, 'status' | 'endedAt'> = entry ?? {
        size: 0,
        mtimeMs: 0,
        requestId: '',
        jobId: job?.id ?? '',
        champion: '',
        startedAt: new Date().toISOString(),
      };
      await saveEntry(registry.dir, folder, name, {
        ...withoutOwner(base),
        status: 'failed',
        endedAt: new Date().toISOString(),
        error: message,
      });
      await job?.end('failed', { outcome: 'failed', error: message });
      result.failed.push({ file, error: message });
    }
  }
  ctx.progress('watching', ready.length, ready.length);
  ctx.emit({ type: 'changed', topic: 'jobs' });
  return result;
}

const noRegistry = async (): Promise<null> => null;

/**
 * Drops the session datasets a file's processing made (the file, its evaluation
 * rows, a retrain's history and window), known by their source in the watched
 * folder: a worker that watches for months must not keep every file in memory.
 */
async function withSessionCleanup<T>(state: BackendState, folder: string, work: () => Promise<T>): Promise<T> {
  const before = new Set((await state.datasets.list(noRegistry)).map((d) => d.id));
  try {
    return await work();
  } finally {
    for (const d of await state.datasets.list(noRegistry)) {
      if (!before.has(d.id) && d.sourceFile && path.dirname(d.sourceFile) === folder) await state.datasets.remove(d.id, noRegistry);
    }
  }
}

function withoutOwner<T extends { pid?: number | undefined }>(entry: T): Omit<T, 'pid'> {
  const { pid: _pid, ...rest } = entry;
  return rest;
}

/**
 * Takes a file for this process, under the registry lock: a new file gets its
 * `started` entry (with this process's pid) and its job; a started entry whose
 * owner is gone (killed), released (cancelled) or this process is resumed; a
 * file done meanwhile, or started by another process that is still alive, is
 * left alone (null), so the app and a headless `watch` never process it twice.
 */
async function claimFile(
  registry: Registry,
  f: { folder: string; name: string; file: string; model: string; policy: Policy },
): Promise<{ entry: WatchEntry; job: JobHandle } | null> {
  return withLock(registry.dir, async () => {
    const current = (await readWatchState(registry.dir)).folders[f.folder]?.[f.name];
    if (current && current.status !== 'started') return null;
    if (current?.pid !== undefined && current.pid !== process.pid && pidAlive(current.pid)) return null;
    if (current) {
      const entry = { ...current, pid: process.pid };
      await saveEntry(registry.dir, f.folder, f.name, entry);
      return { entry, job: resumeJob(registry.dir, current.jobId) };
    }
    const champion = await currentChampion(registry, f.model, f.policy);
    const stat = await fs.stat(f.file);
    const id = `watch-${createHash('sha256').update(`${f.file}\u0000${stat.size}\u0000${stat.mtimeMs}`).digest('hex').slice(0, 24)}`;
    const job = await startJob(registry.dir, { kind: 'watch-file', trigger: 'watch', model: f.model, file: f.file });
    const entry: WatchEntry = {
      status: 'started',
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      requestId: id,
      jobId: job.id,
      champion: champion.version,
      startedAt: new Date().toISOString(),
      endedAt: null,
      pid: process.pid,
    };
    await saveEntry(registry.dir, f.folder, f.name, entry);
    return { entry, job };
  });
}

async function listDataFiles(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new GreenLensError('not_found', `Cannot read the watched folder ${folder}: ${(error as Error).message}.`, {
      file: folder,
      field: 'folder',
    });
  }
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && DATA_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** Files whose size and time have not moved for `settleMs` (a copy still in progress is left for the next run). */
async function settled(folder: string, names: string[], settleMs: number): Promise<{ ready: string[]; pending: string[] }> {
  const first = await Promise.all(names.map((n) => fs.stat(path.join(folder, n)).catch(() => null)));
  const now = Date.now();
  const young = names.some((_, i) => first[i] && now - first[i]!.mtimeMs < settleMs);
  if (!young) return { ready: names.filter((_, i) => first[i]), pending: [] };
  await new Promise((r) => setTimeout(r, settleMs));
  const second = await Promise.all(names.map((n) => fs.stat(path.join(folder, n)).catch(() => null)));
  const ready: string[] = [];
  const pending: string[] = [];
  names.forEach((n, i) => {
    const a = first[i];
    const b = second[i];
    if (!a || !b) return;
    if (a.size === b.size && a.mtimeMs === b.mtimeMs) ready.push(n);
    else pending.push(path.join(folder, n));
  });
  return { ready, pending };
}

async function saveEntry(root: string, folder: string, name: string, entry: WatchEntry): Promise<void> {
  return withLock(root, async () => {
    const ws = await readWatchState(root);
    ws.folders[folder] = { ...(ws.folders[folder] ?? {}), [name]: entry };
    await writeWatchState(root, ws);
  });
}

/** A started job's handle after a restart: its end line closes the job the killed run opened. */
function resumeJob(root: string, id: string): JobHandle {
  return {
    id,
    end: (status, fields) => withLock(root, () => appendJobLine(root, { id, ...fields, status, endedAt: new Date().toISOString() })),
  };
}

async function currentChampion(registry: Registry, model: string, policy: Policy): Promise<VersionMeta> {
  const entry = (await registry.manifest()).models[model];
  if (entry?.aliases[policy.promote.alias]) return resolveChampion(registry, model, policy.promote.alias);
  // No alias yet: the newest version plays production (as score does), except a challenger a pass trained
  // from a watched file: with no alias it was never promoted, so it is a candidate the policy kept, not production.
  const versions = await registry.listVersions(model);
  const byHand = versions.filter((v) => !v.lineage?.source);
  return byHand.at(-1) ?? registry.resolve(model);
}

interface FileJob {
  model: string;
  policy: Policy;
  file: string;
  entry: WatchEntry;
}

async function processFile(
  registry: Registry,
  job: FileJob,
  ctx: JobContext,
  state: BackendState,
): Promise<{ done: WatchedFile; span: { fromMs: number; toMs: number } | null }> {
  const { model, policy, file, entry } = job;
  const champion = await registry.getVersion(model, entry.champion);
  const ds = await importFileDataset(file, undefined, ctx, state);
  // Score with production and log, once: a request already in the log (a kill after the append) is scored again without logging.
  const log = await predictionLog(state);
  const hash = requestIdHash(entry.requestId);
  const logged = (await log.readRequests({ model })).requests.requestId.includes(hash);
  // Scored on behalf of the policy's alias: an A/B or shadow run on it applies (ARCHITECTURE §4a).
  const scored = await scoreDataset(
    {
      ...(args('model.score', {
        datasetId: ds.info.id,
        model,
        version: champion.version,
        log: !logged,
        requestId: entry.requestId,
      }) as OpArgs<'model.score'> & { model: string }),
      abAlias: policy.promote.alias,
    },
    ctx,
    state,
  );
  const drift = await runDriftReport(
    args('drift.report', {
      model,
      version: champion.version,
      current: { datasetId: ds.info.id },
      chunkBy: 'none',
    }) as OpArgs<'drift.report'> & { model: string },
    ctx,
    state,
  );
  const health = await modelHealth(model, state);
  const done: WatchedFile = {
    file,
    rows: scored.rows,
    anomalies: scored.anomalies,
    drift: { datasetDrift: drift.datasetDrift, drifted: drift.driftedFeatures },
    health: health.status,
    actions: [],
  };
  const why = retrainCause(policy, champion, drift, scored.rows ? scored.anomalies / scored.rows : 0);
  if (why) done.actions = await retrainEvaluatePromote(registry, job, champion, ds, why, ctx, state);
  return { done, span: dataWindowOf(timeColumn(ds.table, ds.roles)) };
}

function args<K extends 'model.score' | 'drift.report' | 'model.train'>(op: K, input: OpInput<K>): OpArgs<K> {
  return parseRequest<K>(op, input).args;
}

async function retrainEvaluatePromote(
  registry: Registry,
  job: FileJob,
  champion: VersionMeta,
  ds: Dataset,
  cause: string,
  ctx: JobContext,
  state: BackendState,
): Promise<WatchAction[]> {
  const { model, policy, file } = job;
  const span = dataWindowOf(timeColumn(ds.table, ds.roles));
  if (!span) throw new GreenLensError('invalid_input', `${file} has no timestamp column: a retrain window is in data time.`, { file });
  const plan = retrainPlan(span, policy, champion);
  const actions: WatchAction[] = [];
  // A challenger this file already made (a kill after registering) is reused, not trained twice.
  const existing = (await registry.listVersions(model)).find((v) => v.lineage?.source === file && v.lineage.parent === champion.version);
  const train = async (): Promise<VersionMeta> => {
    const history = await recentReadings(registry, { file, current: ds, champion }, plan.train, state);
    const reason = `${cause} in ${path.basename(file)} against ${champion.version}; trained on ${windowLabel(plan.train.fromMs, plan.train.toMs)} from ${history.sources}`;
    const trained = await trainModel(
      args('model.train', {
        ...parentParams(champion),
        datasetId: history.dataset.info.id,
        model,
        window: plan.train,
        // The evaluation below is the challenger's test; its own holdout would only shorten the history it fits.
        holdout: 0,
        lineage: { parent: champion.version, trigger: 'drift', reason, source: file },
      }),
      ctx,
      state,
    );
    return trained.versionMeta;
  };
  const challenger = existing ?? (await train());
  actions.push({ type: 'retrain', version: challenger.version, reason: challenger.lineage?.reason ?? cause });

  const evalDs = plan.evaluate ? await windowedDataset(ds, plan.evaluate, state) : ds;
  const evalSpan = plan.evaluate ?? span;
  const evalJob = await startJob(registry.dir, { kind: 'evaluate', trigger: 'drift', model, file });
  const evaluation = await measure(
    registry,
    {
      model,
      champion,
      challenger,
      ds: evalDs,
      info: {
        kind: 'file',
        name: plan.evaluate ? `${path.basename(file)} (${windowLabel(evalSpan.fromMs, evalSpan.toMs)})` : path.basename(file),
        rows: evalDs.table.rowCount,
        labelled: 0,
        fromMs: evalSpan.fromMs,
        toMs: evalSpan.toMs,
      },
      policy,
      resamples: 200,
      seed: 42,
    },
    ctx,
    evalJob.id,
  );
  const summary = summaryLine(evaluation);
  await evalJob.end('succeeded', { versions: [champion.version, challenger.version], outcome: summary, evaluation });
  actions.push({ type: 'evaluate', version: challenger.version, reason: summary });

  const side = (s: typeof evaluation.champion) => ({
    f1: s.labelled?.f1 ?? null,
    rocAuc: s.labelled?.rocAuc ?? null,
    anomalyRate: s.anomalyRate,
    latencyP95: s.latencyP95MsPer1k,
  });
  const decision = checkPromotion(
    side(evaluation.champion),
    side(evaluation.challenger),
    evaluation.targetRate,
    policy.promote.rules,
    evaluation.latencyRatio,
    evaluation.delta,
  );
  const alias = policy.promote.alias;
  if (policy.promote.auto && decision.passed) {
    const current = (await registry.manifest()).models[model]?.aliases[alias];
    const why = `every promotion rule passed (${decision.checks.map((c) => c.rule).join(', ')}) on ${path.basename(file)}`;
    if (current !== challenger.version)
      await promoteOnce(registry, model, challenger.version, alias, { reason: why, evaluation: { id: evaluation.id, summary } });
    ctx.emit({ type: 'changed', topic: 'deployments' });
    actions.push({ type: 'promote', version: challenger.version, reason: why });
  } else {
    const why = decision.failing ?? `promote.auto is off: ${challenger.version} stays a candidate (every rule passed)`;
    actions.push({ type: 'keep', version: challenger.version, reason: decision.failing ? `stays a candidate: ${why}` : why });
  }
  return actions;
}

/**
 * A kill between the deployment event and the manifest leaves the event to be
 * rolled forward by the next write, which then finds the alias already there:
 * that promotion is the one this file made, not a conflict.
 */
async function promoteOnce(registry: Registry, model: string, version: string, alias: string, actor: DeploymentActor): Promise<void> {
  try {
    await registry.promote(model, version, alias, actor);
  } catch (error) {
    const now = (await registry.manifest()).models[model]?.aliases[alias];
    if (!(error instanceof GreenLensError && error.code === 'conflict' && now === version)) throw error;
  }
}

/** The parent's training parameters that a retrain keeps (algorithm, features, forest or detector settings). */
function parentParams(meta: VersionMeta): Partial<OpInput<'model.train'>> {
  const p = meta.params;
  const out: Record<string, unknown> = {};
  const copy = (key: string, ok: (v: unknown) => boolean): void => {
    if (ok(p[key])) out[key] = p[key];
  };
  const isNum = (v: unknown) => typeof v === 'number';
  copy('algorithm', (v) => v === 'isolation-forest' || v === 'contextual');
  copy('features', (v) => Array.isArray(v) && v.length > 0);
  copy('meters', (v) => Array.isArray(v) && v.length > 0);
  copy('label', (v) => typeof v === 'string');
  copy('trees', isNum);
  copy('sampleSize', isNum);
  copy('seed', isNum);
  copy('stuckHours', isNum);
  copy('contamination', (v) => isNum(v) || v === 'auto');
  copy('normalize', (v) => v === 'per-id' || v === 'none');
  return out as Partial<OpInput<'model.train'>>;
}

function outcomeLine(f: WatchedFile): string {
  const acts = f.actions.map((a) => `${a.type} ${a.version}`).join(', ');
  return `${f.rows.toLocaleString('en-US')} rows, ${f.anomalies.toLocaleString('en-US')} anomalies, ${f.drift.datasetDrift ? `drift in ${f.drift.drifted.join(', ')}` : 'no dataset drift'}, health ${f.health}${acts ? `; ${acts}` : ''}`;
}

/**
 * Why this file calls for a challenger, or null: dataset drift against
 * production's profile (retrain.onDrift), or production flagging a share of
 * the file outside the policy's anomaly-rate band (retrain.onRate) — the
 * drift of the model's own output, which feature drift can miss once
 * production was trained on a nearby season.
 */
function retrainCause(
  policy: Policy,
  champion: VersionMeta,
  drift: { datasetDrift: boolean; driftedFeatures: string[] },
  rate: number,
): string | null {
  if (policy.retrain.onDrift && drift.datasetDrift) return `drift in ${drift.driftedFeatures.join(', ')}`;
  if (!(policy.retrain.onRate ?? policy.retrain.onDrift)) return null;
  const band = rateBand(targetRate(policy, champion), policy.promote.rules.anomalyRateBand);
  return band.contains(rate) ? null : `anomaly rate ${pct(rate)} outside ${pct(band.lo)}–${pct(band.hi)}`;
}

/**
 * Where a drift retrain learns and where it is judged (ARCHITECTURE §4a): the
 * newest `retrain.evaluateDays` of the file are the evaluation set, and the
 * challenger trains on the `retrain.window` days of data time before them
 * (default a year for the contextual detector: a temperature baseline fitted
 * on a few weeks fails the next season; 28 days for the forest), at least the
 * history its algorithm needs (the contextual detector gives a building its
 * own baseline only from 28 days), drawn from earlier files of the folder.
 * A file shorter than twice the evaluation days is evaluated whole.
 */
export function retrainPlan(
  span: { fromMs: number; toMs: number },
  policy: Policy,
  champion: VersionMeta,
): { train: { fromMs: number; toMs: number }; evaluate: { fromMs: number; toMs: number } | null } {
  const contextual = champion.params.algorithm === 'contextual';
  const days = Math.max(policy.retrain.window ?? (contextual ? 365 : 28), contextual ? minimumHistoryDays() : 1);
  const evalMs = policy.retrain.evaluateDays * DAY_MS;
  if (evalMs === 0 || span.toMs - span.fromMs < 2 * evalMs) return { train: lastDays(span.toMs, days), evaluate: null };
  const evalFrom = span.toMs - evalMs;
  // Training ends one millisecond before the evaluation set starts: no reading is in both.
  return { train: lastDays(evalFrom - 1, days), evaluate: { fromMs: evalFrom, toMs: span.toMs } };
}

/** A day more than the contextual detector's own baseline minimum: less, and every building falls back to the fleet baseline. */
function minimumHistoryDays(): number {
  return Math.ceil(CONTEXTUAL_DEFAULTS.minHistoryHours / 24) + 1;
}

/**
 * The readings of `window` from this file, the earlier files of its folder
 * that watch has processed (their data-time spans are in watch/state.json)
 * and the kept registry dataset or the file the champion's lineage was
 * trained on (see lineage-dataset.ts), as one session dataset; `sources` says which, for the
 * retrain's reason. A file or dataset no longer there, or with other columns,
 * is left out (logged); the current file alone is used when nothing else overlaps.
 * The trainer then cuts every part to the window.
 */
async function recentReadings(
  registry: Registry,
  from: { file: string; current: Dataset; champion: VersionMeta },
  window: { fromMs: number; toMs: number },
  state: BackendState,
): Promise<{ dataset: Dataset; sources: string }> {
  const { file, current } = from;
  const folder = path.dirname(file);
  const entries = (await readWatchState(registry.dir)).folders[folder] ?? {};
  const earlier = Object.entries(entries)
    .filter(([name, e]) => path.join(folder, name) !== file && e.status === 'done' && e.span)
    .filter(([, e]) => e.span!.toMs >= window.fromMs && e.span!.fromMs <= window.toMs)
    .sort(([, a], [, b]) => a.span!.fromMs - b.span!.fromMs)
    .map(([name]) => path.join(folder, name));
  const files: { name: string; table: Dataset['table']; span: { fromMs: number; toMs: number } | null }[] = [];
  const ctx = createJobContext({ jobId: 'watch-history', op: 'watch.run' });
  for (const f of earlier) {
    try {
      const table = (await importFileDataset(f, undefined, ctx, state)).table;
      if (hasColumnsOf(current.table, table)) files.push({ name: f, table, span: entries[path.basename(f)]?.span ?? null });
      else state.logger.warn(`watch: ${f} left out of the retrain window: its columns differ from ${file}.`);
    } catch (error) {
      state.logger.warn(`watch: ${f} left out of the retrain window: ${(error as Error).message}`);
    }
  }
  const spans = [dataWindowOf(timeColumn(current.table, current.roles)), ...files.map((f) => f.span)].filter((s) => s !== null);
  const kept = await lineageDataset(registry, from.champion, window, state);
  let keptRows: Dataset['table'] | null = null;
  if (kept && !hasColumnsOf(current.table, kept.table))
    state.logger.warn(`watch: ${kept.label} left out of the retrain window: its columns differ from ${file}.`);
  // The folder's files win for the data time they cover: a dataset holding the same readings must not count them twice.
  else if (kept) keptRows = outsideSpans(kept, spans);
  if (files.length === 0 && !keptRows) return { dataset: current, sources: `${path.basename(file)} alone` };
  const { table } = concatTables([current.table, ...files.map((f) => f.table), ...(keptRows ? [keptRows] : [])]);
  const sources = [`${1 + files.length} watched file(s)`, ...(keptRows && kept ? [kept.label] : [])].join(' and ');
  return {
    dataset: await state.datasets.add(
      {
        name: `${path.basename(file)} with ${sources}`,
        source: current.info.source,
        table,
        roles: current.roles,
        sourceFile: file,
        options: {},
      },
      null,
    ),
    sources,
  };
}
