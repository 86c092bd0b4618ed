/**
 * The extra threads of score-worker.ts, shared by parallel scoring and
 * parallel CSV formatting. A thread is started ahead of need
 * (prestartScoreWorkers) or on demand, serves one request at a time, and goes
 * back to a small pool when done, so the CLI's score can format its output on
 * the thread that scored. Pooled threads are unref'd (they never hold the
 * process open) and end after a short idle time (a long-lived app keeps none).
 */
import { availableParallelism } from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { ContextualTask } from './contextual-task';
import type { CsvChunk, WorkerRequest } from './score-worker';

export interface ThreadOptions {
  /** Path or file URL of the built score-worker script (JS). */
  workerScript: string | URL;
  /** Extra Node flags for each worker (such a worker is never pooled). */
  execArgv?: string[];
}

/** How long a pooled thread waits for another request before it ends. */
const IDLE_MS = 5000;

interface Spare {
  script: string;
  worker: Worker;
  idle: ReturnType<typeof setTimeout> | null;
  /** Drops the spare if its thread fails or ends while pooled. */
  onGone: () => void;
}

const spares: Spare[] = [];

/** Out of the pool, with only our own listeners removed (the Worker keeps internal ones that removeAllListeners would break). */
function unpool(spare: Spare): void {
  const at = spares.indexOf(spare);
  if (at >= 0) spares.splice(at, 1);
  if (spare.idle) clearTimeout(spare.idle);
  spare.worker.off('error', spare.onGone);
  spare.worker.off('exit', spare.onGone);
}

function pool(script: string, worker: Worker, idleMs: number | null): void {
  worker.unref();
  const spare: Spare = { script, worker, idle: null, onGone: () => unpool(spare) };
  if (idleMs !== null) {
    spare.idle = setTimeout(() => {
      unpool(spare);
      void worker.terminate();
    }, idleMs);
    spare.idle.unref();
  }
  // A thread that fails or ends while pooled is dropped; the next request starts its own (and reports its error).
  worker.on('error', spare.onGone);
  worker.on('exit', spare.onGone);
  spares.push(spare);
}

/**
 * From this many rows, scoring is split across threads: measured on the
 * 2-core target, 1,000,000 × 8 rows with 100 trees scored at 313k rows/s on
 * one thread and 475k rows/s on two (bench/iforest.bench.ts). Below it, the
 * cost of starting a thread and copying its slice is not won back.
 */
export const PARALLEL_SCORE_MIN_ROWS = 200_000;

/** Fewest bytes a CSV or Parquet row takes (a few one-digit cells and separators); a file smaller than PARALLEL_SCORE_MIN_ROWS of these is never split. */
const MIN_ROW_BYTES = 16;

/**
 * Before a file of `inputBytes` is read to be scored: starts the extra
 * threads (one fewer than the cores) so their start-up overlaps the reading.
 * A file too small for PARALLEL_SCORE_MIN_ROWS rows starts none; if the rows
 * turn out fewer, the unused threads end with the process. True when there are such threads.
 */
export function prestartForFile(workerScript: string | URL, inputBytes: number): boolean {
  const extra = availableParallelism() - 1;
  if (inputBytes < PARALLEL_SCORE_MIN_ROWS * MIN_ROW_BYTES || extra < 1) return false;
  prestartScoreWorkers(workerScript, extra);
  return true;
}

/**
 * Starts `count` threads now, so that their start-up (a Node isolate and the
 * kernel's module) overlaps other work, such as reading the file about to be
 * scored. They wait, without an idle limit, until a request takes them.
 */
export function prestartScoreWorkers(workerScript: string | URL, count: number): void {
  const script = String(workerScript);
  for (let k = spares.filter((s) => s.script === script).length; k < count; k++) pool(script, new Worker(workerScript), null);
}

function take(options: ThreadOptions): Worker {
  const script = String(options.workerScript);
  const at = options.execArgv ? -1 : spares.findIndex((s) => s.script === script);
  if (at < 0) return new Worker(options.workerScript, { execArgv: options.execArgv });
  const spare = spares[at]!;
  unpool(spare);
  spare.worker.ref();
  return spare.worker;
}

/** Progress messages a request may post before its reply, and a way to reach the thread (to stop it). */
export interface ThreadHooks {
  onProgress?: (rowsDone: number) => void;
  /** A chunk of formatted CSV rows (a csv-claim request posts them as it goes). */
  onChunk?: (index: number, bytes: Uint8Array) => void;
  onWorker?: (worker: Worker) => void;
}

/** Sends one request to a pooled or new thread and resolves with its reply; the thread goes back to the pool after an ok reply. */
export function runOnThread<R extends { ok: true } | { ok: false; message: string }>(
  options: ThreadOptions,
  request: WorkerRequest | ContextualTask,
  transfer: (ArrayBuffer | MessagePort)[],
  hooks: ThreadHooks = {},
): Promise<Extract<R, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const worker = take(options);
    hooks.onWorker?.(worker);
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: R | { progress: number } | CsvChunk): void => {
      if ('chunk' in reply) {
        hooks.onChunk?.(reply.chunk, reply.bytes);
        return;
      }
      if ('progress' in reply) {
        try {
          hooks.onProgress?.(reply.progress);
        } catch (error) {
          done();
          void worker.terminate();
          reject(error as Error);
        }
        return;
      }
      done();
      if (reply.ok) {
        if (options.execArgv) void worker.terminate();
        else pool(String(options.workerScript), worker, IDLE_MS);
        resolve(reply as Extract<R, { ok: true }>);
      } else {
        void worker.terminate();
        reject(new Error(`scoring worker failed: ${(reply as { message: string }).message}`));
      }
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    const onExit = (code: number): void => {
      done();
      reject(new Error(`scoring worker exited with code ${code} before replying`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request, transfer);
  });
}
