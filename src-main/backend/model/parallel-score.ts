/**
 * Multi-threaded scoring for large inputs. Rows are cut into one contiguous
 * slice per thread; the calling thread scores the first slice itself while
 * worker_threads score the rest, so `threads: 2` means one extra worker.
 * Each worker gets copies of its slice (transferred, not cloned twice) and of
 * the forest, and transfers its scores back. Results are bit-identical to
 * scoreSamples: the same kernel runs on every row.
 *
 * Progress: every thread scores in chunks; the workers post their rows done and
 * the calling thread yields to its event loop between its own chunks, so the
 * rows of all threads add up to one moving count (issue 9.16).
 *
 * Note that the calling thread is busy for its share of the work; call this
 * from the backend worker, not from a UI or IPC thread. The thread plumbing lives
 * here, not in core: core stays free of worker APIs; the kernel it runs is core's.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { scoreRange } from '../../core/model/score-kernel';
import type { ScoreProgress, ScoreReply, ScoreRequest } from './score-worker';
import type { IForestModel } from '../../core/model/types';

export interface ParallelScoreOptions {
  /** Path or file URL of the built score-worker script (JS). */
  workerScript: string | URL;
  /** Threads in total, including the calling one. Default: available parallelism. */
  threads?: number;
  /** Use fewer threads when a slice would be smaller than this. Default 100,000 rows. */
  minRowsPerThread?: number;
  /** Extra Node flags for each worker. */
  execArgv?: string[];
  /**
   * Rows scored so far over all threads (non-decreasing), after each chunk of any
   * thread. It may throw (a cancel): the workers are stopped and the call rejects
   * with that error.
   */
  progress?: (rowsDone: number, total: number) => void;
  /** Rows per progress step on every thread. Default 16,384. */
  chunkRows?: number;
}

const DEFAULT_CHUNK_ROWS = 16_384;

/** A worker scoring one slice: its scores, and a way to stop it early. */
interface RunningWorker {
  done: Promise<Float64Array>;
  stop(): void;
}

function runWorker(options: ParallelScoreOptions, request: ScoreRequest, onRows: (rows: number) => void): RunningWorker {
  const worker = new Worker(options.workerScript, { execArgv: options.execArgv });
  const done = new Promise<Float64Array>((resolve, reject) => {
    let settled = false;
    worker.on('message', (msg: ScoreReply | ScoreProgress) => {
      if (settled) return;
      if ('progress' in msg) {
        try {
          onRows(msg.progress);
        } catch (error) {
          settled = true;
          reject(error as Error);
          void worker.terminate();
        }
        return;
      }
      settled = true;
      if (msg.ok) resolve(msg.scores);
      else reject(new Error(`scoring worker failed: ${msg.message}`));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`scoring worker exited with code ${code} before replying`));
    });
    // Slices own fresh ArrayBuffers, so transferring them detaches nothing of the caller's.
    worker.postMessage(
      request,
      request.columns.map((c) => c.buffer as ArrayBuffer),
    );
  });
  return { done, stop: () => void worker.terminate() };
}

/** Lets worker messages (their progress) in between two chunks of the calling thread's own slice. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function scoreSamplesParallel(
  model: IForestModel,
  columns: Float64Array[],
  options: ParallelScoreOptions,
): Promise<Float64Array> {
  const nFeatures = model.features.length;
  if (columns.length !== nFeatures) throw new Error(`expected ${nFeatures} feature columns, got ${columns.length}`);
  const rows = columns[0]!.length;
  for (const c of columns) if (c.length !== rows) throw new Error('feature columns differ in length');

  const minRows = options.minRowsPerThread ?? 100_000;
  const wanted = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const threads = Math.max(1, Math.min(wanted, Math.floor(rows / minRows)));
  const out = new Float64Array(rows);
  const per = Math.ceil(rows / threads);
  const chunkRows = Math.max(1, options.chunkRows ?? DEFAULT_CHUNK_ROWS);
  // Rows done per thread (index 0 = this one); their sum only grows.
  const doneBy = new Float64Array(threads);
  let reported = 0;
  const report = (thread: number, done: number): void => {
    doneBy[thread] = done;
    let total = 0;
    for (const d of doneBy) total += d;
    if (total > reported) {
      reported = total;
      options.progress?.(total, rows);
    }
  };

  const running: RunningWorker[] = [];
  const pending: Promise<void>[] = [];
  for (let k = 1; k < threads; k++) {
    const from = k * per;
    const to = Math.min(rows, from + per);
    if (from >= to) break;
    const request: ScoreRequest = {
      trees: model.trees,
      subsample: model.subsample,
      columns: columns.map((c) => c.slice(from, to)),
      chunkRows,
    };
    const w = runWorker(options, request, (done) => report(k, done));
    running.push(w);
    pending.push(w.done.then((scores) => out.set(scores, from)));
  }
  // Surface worker failures even if the local slice throws first.
  const all = Promise.all(pending);
  all.catch(() => undefined);
  try {
    const mine = Math.min(rows, per);
    for (let from = 0; from < mine; from += chunkRows) {
      const to = Math.min(mine, from + chunkRows);
      scoreRange(model.trees, model.subsample, columns, from, to, out);
      report(0, to);
      if (running.length > 0) await yieldToEvents();
    }
    await all;
  } catch (error) {
    for (const w of running) w.stop();
    throw error;
  }
  return out;
}
