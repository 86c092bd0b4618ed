/**
 * Worker entry for parallel-score.ts: scores one slice of rows and exits.
 * The build must emit this as its own JS file and hand its path to
 * scoreSamplesParallel (a Worker cannot start from a TypeScript source).
 * It scores in chunks and posts the rows done after each, so the job's progress
 * moves while the slice is scored (issue 9.16), not only when it is finished.
 */
import { parentPort } from 'node:worker_threads';
import { scoreRange } from '../../core/model/score-kernel';
import type { ForestArrays } from '../../core/model/types';

export interface ScoreRequest {
  trees: ForestArrays;
  subsample: number;
  columns: Float64Array[];
  /** Rows between two progress messages. */
  chunkRows: number;
}

export type ScoreReply = { ok: true; scores: Float64Array } | { ok: false; message: string };
/** Rows of the slice scored so far; sent before the reply. */
export interface ScoreProgress {
  progress: number;
}

const port = parentPort;
if (port) {
  port.once('message', (request: ScoreRequest) => {
    let reply: ScoreReply;
    try {
      const rows = request.columns[0]?.length ?? 0;
      const scores = new Float64Array(rows);
      const chunk = Math.max(1, request.chunkRows);
      for (let from = 0; from < rows; from += chunk) {
        const to = Math.min(rows, from + chunk);
        scoreRange(request.trees, request.subsample, request.columns, from, to, scores);
        port.postMessage({ progress: to } satisfies ScoreProgress);
      }
      reply = { ok: true, scores };
      port.postMessage(reply, [scores.buffer]);
    } catch (err) {
      reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    }
    port.close();
  });
}
