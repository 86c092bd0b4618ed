import type { Envelope, GreenLensEvent } from '../contract';
import type { Settings } from '../contract/settings';

/** Messages between the main-side WorkerHost and the backend worker. */
export type ToWorker =
  | { type: 'call'; id: number; jobId: string; op: string; input: unknown; cancelSlot: number }
  | { type: 'cancel'; id: number }
  | { type: 'settings'; settings: Settings }
  /** The host is closing: stop background work (the in-app watcher) and answer `stopped`. */
  | { type: 'shutdown' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; id: number; jobId: string; op: string; phase: string; done: number; total: number }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: GreenLensEvent }
  | { type: 'stopped' };

export interface WorkerInit {
  settings: Settings;
  registryPath: string | null;
  tempDir: string;
  /** Script of the extra scoring threads (null: score on the backend thread only). */
  scoreWorkerScript: string | null;
  /** Folder of the rotating log file (the user's data folder's logs/); absent: no log file. */
  logDir?: string;
  /** One Int32 per cancel slot; a non-zero value cancels the job using that slot. */
  cancelFlags: SharedArrayBuffer;
  /** Minimum ms between progress reports of one phase (default 50; tests use 0 to see every report). */
  progressThrottleMs?: number;
}

export const CANCEL_SLOTS = 256;
