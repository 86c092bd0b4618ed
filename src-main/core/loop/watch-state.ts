import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { WatchedFile } from '../../contract/shared/loop';
import { writeFileAtomic } from '../registry/atomic';
import { parseJsonFile, readJsonFile } from '../registry/json-file';

/**
 * watch/state.json: what `watch` has done with each file of each watched
 * folder (ARCHITECTURE §4). A file is `started` (with the request id its
 * predictions are logged under, the champion it is judged against and its
 * job id) before any work, and `done` or `failed` after; the file is replaced
 * atomically each time, so after a kill it holds one of those states and a
 * restart resumes a started file instead of processing it again. A started
 * entry names the process working on it (`pid`): another process leaves the
 * file alone while that one lives, and takes it over once it is gone.
 */

export const WATCH_DIR = 'watch';
export const WATCH_STATE_FILE = 'state.json';
export const watchStatePath = (root: string): string => path.join(root, WATCH_DIR, WATCH_STATE_FILE);

const watchedFileSchema = z.object({
  file: z.string(),
  rows: z.number(),
  anomalies: z.number(),
  drift: z.object({ datasetDrift: z.boolean(), drifted: z.array(z.string()) }),
  health: z.string(),
  actions: z.array(z.object({ type: z.enum(['retrain', 'evaluate', 'promote', 'keep']), version: z.string(), reason: z.string() })),
});

const entrySchema = z.object({
  status: z.enum(['started', 'done', 'failed']),
  size: z.number(),
  mtimeMs: z.number(),
  requestId: z.string(),
  jobId: z.string(),
  champion: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  result: watchedFileSchema.optional(),
  error: z.string().optional(),
  /** Data-time span of a processed file's readings: a later retrain draws its window from the files it covers. */
  span: z.object({ fromMs: z.number(), toMs: z.number() }).optional(),
  /** The process working on a `started` file; absent once released (cancelled) or in files written before it existed. */
  pid: z.number().int().optional(),
});

const stateSchema = z.object({
  format: z.literal('greenlens-watch'),
  formatVersion: z.literal(1),
  /** Absolute folder → file name → entry. */
  folders: z.record(z.string(), z.record(z.string(), entrySchema)),
});

export type WatchEntry = z.infer<typeof entrySchema>;
export type WatchState = z.infer<typeof stateSchema>;

export const emptyWatchState = (): WatchState => ({ format: 'greenlens-watch', formatVersion: 1, folders: {} });

export function parseWatchState(text: string, file: string): WatchState {
  return parseJsonFile(text, file, stateSchema);
}

export async function readWatchState(root: string): Promise<WatchState> {
  return readJsonFile(watchStatePath(root), parseWatchState, emptyWatchState);
}

/** Callers hold the registry lock. */
export async function writeWatchState(root: string, state: WatchState): Promise<void> {
  await fs.mkdir(path.join(root, WATCH_DIR), { recursive: true });
  await writeFileAtomic(watchStatePath(root), `${JSON.stringify(state)}\n`);
}

export type { WatchedFile };
