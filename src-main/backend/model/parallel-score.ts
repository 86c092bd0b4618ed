/**
 * Multi-threaded scoring for large inputs. Rows are cut into one contiguous
 * slice per thread; the calling thread scores the first slice itself while
 * worker_threads score the rest, so `threads: 2` means one extra worker.
 * Each worker gets copies of its slice (transferred, not cloned twice) and of
 * the forest, and transfers its scores back. Results are bit-identical to
 * scoreSamples: the same kernel runs on every row.
 *
 * Note that the calling thread is busy for its share of the work; call this
 * from the backend worker, not from a UI or IPC thread. The thread plumbing lives
 * here, not in core: core stays free of worker APIs; the kernel it runs is core's.
 */
import { availableParallelism } from 'node:os';
import { scoreRange } from '../../core/model/score-kernel';
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
    };
    // Slices own fresh ArrayBuffers, so transferring them detaches nothing of the caller's.
    const transfer = request.columns.map((c) => c.buffer as ArrayBuffer);
    pending.push(runOnThread<ScoreReply>(options, request, transfer).then((reply) => out.set(reply.scores, from)));
  }
  // Surface worker failures even if the local slice throws first.
  const all = Promise.all(pending);
  all.catch(() => undefined);
  scoreRange(model.trees, model.subsample, columns, 0, Math.min(rows, per), out);
  await all;
  return out;
}
