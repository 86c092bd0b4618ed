import { join } from 'node:path';
import type { AlertCheckResult, AlertView } from '../../contract/shared/alerts';
import { foldAlerts } from '../../core/alerts/history';
import { step } from '../../core/alerts/lifecycle';
import { observe, type ModelSnapshot } from '../../core/alerts/observe';
import { readNdjson, withLock } from '../../core/registry';
import type { JobContext } from '../job';
import { modelHealth } from '../monitoring/health';
import { currentWithProfile } from '../monitoring/health-cache';
import { currentVersionOrNull } from '../monitoring/versions';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { runHooks, type AlertNotice } from './hooks';
import { appendAlertEvents, readAlertEvents, readHooks, readRules, readState, writeState } from './store';

/** What the scoring tail knows that the log does not: flags per building of the request just logged. */
export interface ScoredBuildings {
  model: string;
  buildings: Record<string, { rows: number; anomalies: number }>;
}

const NEEDS_HEALTH = new Set(['health', 'drift-score', 'feature-drift', 'anomaly-rate', 'latency-p95', 'reading-latency-p95']);

/**
 * Evaluates the rules (ARCHITECTURE §6a): after every scoring request for the
 * model scored (`only`), on demand for every model. Values come from the health
 * check, which reads the request index and the last `driftWindow` readings, never
 * the whole log, so the cost does not grow with the log. The state machine runs
 * under the registry lock (the app and a terminal may both score); notifications
 * and hooks go out after it, and a failing hook is logged, never fatal.
 */
export async function checkAlerts(
  state: BackendState,
  ctx: Pick<JobContext, 'emit'> | null,
  only?: { model: string; scored?: ScoredBuildings },
): Promise<AlertCheckResult> {
  const started = performance.now();
  const registry = await currentRegistry(state);
  const root = registry.dir;
  const { rules } = await readRules(root, state.settings.thresholds);
  const enabled = rules.filter((r) => r.enabled);
  const models = only ? [only.model] : (await registry.listModels()).map((m) => m.name);
  const wantsHealth = enabled.some((r) => NEEDS_HEALTH.has(r.kind));
  const snapshots: ModelSnapshot[] = [];
  for (const model of models) {
    if (!enabled.some((r) => r.kind !== 'job-failures' && (r.model === undefined || r.model === model))) continue;
    snapshots.push(await snapshotOf(state, model, wantsHealth));
  }
  const jobFailures = enabled.some((r) => r.kind === 'job-failures') ? await failedJobs(join(root, 'jobs.ndjson')) : null;

  const now = Date.now();
  const run = async (write: boolean) => {
    const { state: previous, damaged } = await readState(root);
    if (damaged && write) state.logger.warn('alerts/state.json was damaged; alert evaluation starts afresh', { file: root });
    const buildings = { ...previous.buildings };
    if (only?.scored) buildings[only.scored.model] = only.scored.buildings;
    for (const s of snapshots) s.buildings = buildings[s.model] ?? null;
    const { observations, covered } = observe(rules, { models: snapshots, jobFailures, now });
    const next = step(previous, rules, observations, covered, now);
    const stored = { ...next.state, buildings };
    const unchanged = next.events.length === 0 && !damaged && JSON.stringify(stored) === JSON.stringify(previous);
    if (write && !unchanged) {
      await appendAlertEvents(root, next.events);
      await writeState(root, stored);
    }
    const history = write && next.events.length > 0 ? await readAlertEvents(root) : null;
    return { events: next.events, list: history ? foldAlerts(history.events) : null, observations: observations.length, unchanged };
  };
  // Most evaluations change nothing (no breach starts or ends): they write nothing and take no lock.
  // Otherwise the step runs again under the lock, on the state as another process may have left it.
  const dry = await run(false);
  const { events, list, observations } = dry.unchanged ? dry : await withLock(root, () => run(true));

  const byId = new Map<string, AlertView>((list?.alerts ?? []).map((a) => [a.id, a]));
  const notices: AlertNotice[] = [];
  for (const e of events) {
    const alert = (e.type === 'open' || e.type === 'repeat') && byId.get(e.id);
    if (alert) notices.push({ event: e.type as 'open' | 'repeat', alert });
  }
  for (const n of notices) ctx?.emit({ type: 'alert', event: n.event, alert: n.alert, unacknowledged: list?.unacknowledged ?? 0 });
  if (list) {
    ctx?.emit({ type: 'alert-count', unacknowledged: list.unacknowledged });
    ctx?.emit({ type: 'changed', topic: 'alerts' });
  }
  let hookFailures: AlertCheckResult['hookFailures'] = [];
  if (notices.length > 0) {
    try {
      hookFailures = await runHooks((await readHooks(root)).hooks, notices);
    } catch (e) {
      hookFailures = [{ hook: 'alerts/hooks.json', error: (e as Error).message }];
    }
    for (const f of hookFailures) state.logger.warn(`alert hook failed: ${f.hook}: ${f.error}`);
  }
  return {
    opened: notices.filter((n) => n.event === 'open').map((n) => n.alert),
    repeated: notices.filter((n) => n.event === 'repeat').map((n) => n.alert),
    resolved: events.filter((e) => e.type === 'resolve').map((e) => e.id),
    observations,
    hookFailures,
    elapsedMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

/** Rules after a logged request; a failure here is logged and never fails the scoring. */
export async function alertsAfterScoring(
  state: BackendState,
  ctx: Pick<JobContext, 'emit'>,
  model: string,
  scored?: ScoredBuildings,
): Promise<void> {
  try {
    await checkAlerts(state, ctx, { model, ...(scored ? { scored } : {}) });
  } catch (e) {
    state.logger.warn(`alert rules were not evaluated after scoring: ${(e as Error).message}`, { model });
  }
}

const inFlight = new WeakMap<BackendState, Map<string, { running: Promise<void>; again: boolean }>>();

/**
 * For a scoring request about to be logged: starts the reads the alert check after it begins with — its rules and,
 * when they want the health check, the current version and its reference profile (kept by health-cache.ts) — so
 * that work fills the log's waits for the disk instead of following them. The check itself reads the same things
 * (the cache checks every file's identity again), so nothing it sees changes. Never rejects: the check reports errors.
 */
export function warmAlertCheck(state: BackendState, model: string): Promise<void> {
  const warm = async (): Promise<void> => {
    const registry = await currentRegistry(state);
    const enabled = (await readRules(registry.dir, state.settings.thresholds)).rules.filter((r) => r.enabled);
    // As checkAlerts decides: a health snapshot of this model is taken when a rule covers it and any rule needs health.
    const covered = enabled.some((r) => r.kind !== 'job-failures' && (r.model === undefined || r.model === model));
    if (covered && enabled.some((r) => NEEDS_HEALTH.has(r.kind))) await currentWithProfile(state, model, registry.dir);
  };
  return warm().catch(() => undefined);
}

/**
 * For high-rate callers (live readings): evaluates without holding up the request,
 * at most one evaluation per model at a time, and one more after it when requests
 * arrived meanwhile, so a burst of requests costs two evaluations, not one each.
 */
export function scheduleAlerts(state: BackendState, ctx: Pick<JobContext, 'emit'>, model: string): void {
  const byModel = inFlight.get(state) ?? new Map<string, { running: Promise<void>; again: boolean }>();
  inFlight.set(state, byModel);
  const current = byModel.get(model);
  if (current) {
    current.again = true;
    return;
  }
  const entry = { running: Promise.resolve(), again: false };
  const loop = async (): Promise<void> => {
    do {
      entry.again = false;
      await alertsAfterScoring(state, ctx, model);
    } while (entry.again);
    byModel.delete(model);
  };
  byModel.set(model, entry);
  entry.running = loop();
}

async function snapshotOf(state: BackendState, model: string, wantsHealth: boolean): Promise<ModelSnapshot> {
  const empty: ModelSnapshot = {
    model,
    version: null,
    status: 'no-model',
    driftScore: null,
    features: null,
    anomalyRate: null,
    latencyP95: null,
    readingLatencyP95: null,
    buildings: null,
  };
  // Per-building and job rules need no health check, only which version is current (for the message).
  if (!wantsHealth) {
    const current = await currentVersionOrNull(state, model);
    return current ? { ...empty, version: current.meta.version, status: 'healthy' } : empty;
  }
  const h = await modelHealth(model, state);
  return {
    ...empty,
    version: h.version,
    status: h.status,
    driftScore: h.drift?.driftScore ?? null,
    features: h.drift?.features.map((f) => ({ name: f.name, psi: f.psi })) ?? null,
    anomalyRate: h.performance?.anomalyRate ?? null,
    latencyP95: h.performance?.latency?.p95Ms ?? null,
    readingLatencyP95: h.performance?.readingLatency?.p95Ms ?? null,
  };
}

/**
 * End times of failed jobs in jobs.ndjson (written by the automation loop), folded
 * by job id so a job's later line wins; null when the file does not exist.
 */
export async function failedJobs(file: string): Promise<number[] | null> {
  const read = await readNdjson(file).catch(() => null);
  if (!read || (read.records.length === 0 && read.tornLines === 0 && read.badLines.length === 0)) return read ? [] : null;
  const byId = new Map<string, { status?: unknown; endedAt?: unknown; startedAt?: unknown }>();
  for (const r of read.records) {
    if (typeof r !== 'object' || r === null) continue;
    const rec = r as { id?: unknown };
    const id = typeof rec.id === 'string' ? rec.id : `#${byId.size}`;
    byId.set(id, { ...byId.get(id), ...(r as object) });
  }
  const out: number[] = [];
  for (const j of byId.values()) {
    if (j.status !== 'failed') continue;
    const t = Date.parse(String(j.endedAt ?? j.startedAt ?? ''));
    if (Number.isFinite(t)) out.push(t);
  }
  return out;
}
