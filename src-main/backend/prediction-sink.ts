import { join } from 'node:path';
import { withLock } from '../core/registry';
import { PredictionLog, type PredictionBatch } from '../core/monitoring';
import { currentRegistry } from './registry-access';
import type { BackendState } from './state';
import { DAY_MS } from '../contract/shared/time';

/**
 * The one way predictions reach the log (ARCHITECTURE §6). Appends take the registry
 * lock, so the app's worker and a `greenlens score` in a terminal can both log
 * to the same registry. The cached log compares its files with the disk before
 * every append (under the lock) and on every read, so what another process wrote
 * is picked up and never overwritten. (Earlier versions kept a counter in
 * `predictions/.generation`; a crash while rewriting it made a writer trust a
 * stale position. A leftover file is ignored.)
 */
const cache = new WeakMap<BackendState, { dir: string; log: Promise<PredictionLog> }>();

/**
 * The prediction log of the open registry, fresh as of the last append by any process.
 * The opening is cached, not its result: callers arriving together (a scoring's append and
 * the alert check's read) share one log. Each opening its own left all but one uncached,
 * one of them with its segment's write handles open, for the garbage collector to close
 * ("Closing a FileHandle object on garbage collection").
 */
export async function predictionLog(state: BackendState): Promise<PredictionLog> {
  const registry = await currentRegistry(state);
  const dir = join(registry.dir, 'predictions');
  const cached = cache.get(state);
  if (cached && cached.dir === dir) {
    const log = await cached.log;
    await log.refresh();
    return log;
  }
  const previous = cached?.log;
  const opening = (async () => {
    await (await previous?.catch(() => null))?.close();
    return PredictionLog.open(dir);
  })();
  cache.set(state, { dir, log: opening });
  // A failed open is not kept: the next call tries again.
  opening.catch(() => {
    if (cache.get(state)?.log === opening) cache.delete(state);
  });
  return opening;
}

/**
 * Closes the state's cached log, with its segment's write handles, and forgets it: the next use opens it
 * again. For the worker's shutdown and for whoever drops a state, so no handle is left for the garbage
 * collector to close.
 */
export async function closePredictionLog(state: BackendState): Promise<void> {
  const cached = cache.get(state);
  if (!cached) return;
  cache.delete(state);
  await (await cached.log.catch(() => null))?.close();
}

/** Appends one scoring request's readings (or several requests at once, e.g. merged logs), then applies the retention setting. */
export async function logPredictions(
  state: BackendState,
  batch: PredictionBatch | readonly PredictionBatch[],
  progress?: (rows: number, total: number) => void,
): Promise<{ appended: number; pruned: number }> {
  const registry = await currentRegistry(state);
  return withLock(registry.dir, async () => {
    const log = await predictionLog(state);
    const { appended } = isBatchList(batch) ? await log.appendMany(batch, progress) : await log.append(batch, progress);
    let pruned = 0;
    const { hotWindow, retentionDays } = state.settings.monitoring;
    if (retentionDays > 0) {
      const r = await log.prune({ keepLast: hotWindow, olderThanMs: Date.now() - retentionDays * DAY_MS });
      pruned = r.removedRecords;
    }
    return { appended, pruned };
  });
}

/** Removes predictions outside the hot window (and older than the retention, when set): whole segments, or by compaction. */
export async function prunePredictions(state: BackendState, policy: { keepLast: number; olderThanMs?: number }) {
  const registry = await currentRegistry(state);
  return withLock(registry.dir, async () => (await predictionLog(state)).prune(policy));
}

function isBatchList(b: PredictionBatch | readonly PredictionBatch[]): b is readonly PredictionBatch[] {
  return Array.isArray(b);
}
