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
import { scoreRange } from '../../core/model/score-kernel';
import type { Worker } from 'node:worker_threads';
import { runOnThread } from './score-threads';
import type { ScoreReply, ScoreRequest } from './score-worker';
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

  const running: Worker[] = [];
  const pending: Promise<void>[] = [];
  for (let k = 1; k < threads; k++) {
    const from = k * per;
    const to = Math.min(rows, from + per);
    if (from >= to) break;
    const request: ScoreRequest = {
      kind: 'score',
      trees: model.trees,
      subsample: model.subsample,
      columns: columns.map((c) => c.slice(from, to)),
      chunkRows,
    };
    // Slices own fresh ArrayBuffers, so transferring them detaches nothing of the caller's.
    const transfer = request.columns.map((c) => c.buffer as ArrayBuffer);
    pending.push(
      runOnThread<ScoreReply>(options, request, transfer, {
        onProgress: (done) => report(k, done),
        onWorker: (w) => running.push(w),
      }).then((reply) => out.set(reply.scores, from)),
    );
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
    for (const w of running) void w.terminate();
    throw error;
  }
  return out;
}
