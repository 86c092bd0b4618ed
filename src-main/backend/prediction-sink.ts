import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withLock } from '../core/registry';
import { PredictionLog, type PredictionBatch } from '../core/monitoring';
import { currentRegistry } from './registry-access';
import type { BackendState } from './state';

/**
 * The one way predictions reach the log (DESIGN §6). Appends take the registry
 * lock, so the app's worker and a `greenlens score` in a terminal can both log
 * to the same registry. A generation counter, bumped after every append,
 * tells a process that someone else wrote since it last looked, and its
 * cached log is reopened.
 */
interface OpenLog {
  dir: string;
  log: PredictionLog;
  generation: string;
}

const cache = new WeakMap<BackendState, OpenLog>();
const GENERATION_FILE = '.generation';

async function readGeneration(dir: string): Promise<string> {
  return readFile(join(dir, GENERATION_FILE), 'utf8').catch(() => '0');
}

/** The prediction log of the open registry, fresh as of the last append by any process. */
export async function predictionLog(state: BackendState): Promise<PredictionLog> {
  const registry = await currentRegistry(state);
  const dir = join(registry.dir, 'predictions');
  const generation = await readGeneration(dir);
  const cached = cache.get(state);
  if (cached && cached.dir === dir && cached.generation === generation) return cached.log;
  await cached?.log.close();
  const log = await PredictionLog.open(dir);
  cache.set(state, { dir, log, generation });
  return log;
}

/** Appends one scoring request's readings (or several requests at once, e.g. merged logs), then applies the retention setting. */
export async function logPredictions(
  state: BackendState,
  batch: PredictionBatch | readonly PredictionBatch[],
): Promise<{ appended: number; pruned: number }> {
  const registry = await currentRegistry(state);
  return withLock(registry.dir, async () => {
    const log = await predictionLog(state);
    const { appended } = isBatchList(batch) ? await log.appendMany(batch) : await log.append(batch);
    let pruned = 0;
    const { hotWindow, retentionDays } = state.settings.monitoring;
    if (retentionDays > 0) {
      const r = await log.prune({ keepLast: hotWindow, olderThanMs: Date.now() - retentionDays * 86_400_000 });
      pruned = r.removedRecords;
    }
    const dir = join(registry.dir, 'predictions');
    const next = String(Number(await readGeneration(dir)) + 1);
    // Not atomic on purpose: a torn counter only forces one extra reopen.
    await writeFile(join(dir, GENERATION_FILE), next);
    cache.set(state, { dir, log, generation: next });
    return { appended, pruned };
  });
}

/** Removes whole segments outside the hot window (and older than the retention, when set). */
export async function prunePredictions(state: BackendState, policy: { keepLast: number; olderThanMs?: number }) {
  const registry = await currentRegistry(state);
  return withLock(registry.dir, async () => {
    const log = await predictionLog(state);
    const r = await log.prune(policy);
    const dir = join(registry.dir, 'predictions');
    const next = String(Number(await readGeneration(dir)) + 1);
    await writeFile(join(dir, GENERATION_FILE), next);
    cache.set(state, { dir, log, generation: next });
    return r;
  });
}

function isBatchList(b: PredictionBatch | readonly PredictionBatch[]): b is readonly PredictionBatch[] {
  return Array.isArray(b);
}
