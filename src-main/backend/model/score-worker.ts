/**
 * Worker entry for parallel-score.ts: scores one slice of rows and exits.
 * The build must emit this as its own JS file and hand its path to
 * scoreSamplesParallel (a Worker cannot start from a TypeScript source).
 */
import { parentPort } from 'node:worker_threads';
import { scoreRange } from '../../core/model/score-kernel';
import type { ForestArrays } from '../../core/model/types';
import { runContextualTask, type ContextualTask } from './contextual-task';

export interface ScoreRequest {
  trees: ForestArrays;
  subsample: number;
  columns: Float64Array[];
}

export type ScoreReply = { ok: true; scores: Float64Array } | { ok: false; message: string };

const port = parentPort;
if (port) {
  port.once('message', (request: ScoreRequest | ContextualTask) => {
    // The contextual detector's slices share this thread entry (one built worker script).
    if ('task' in request) {
      runContextualTask(port, request);
      port.close();
      return;
    }
    let reply: ScoreReply;
    try {
      const rows = request.columns[0]?.length ?? 0;
      const scores = new Float64Array(rows);
      scoreRange(request.trees, request.subsample, request.columns, 0, rows, scores);
      reply = { ok: true, scores };
      port.postMessage(reply, [scores.buffer]);
    } catch (err) {
      reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    }
    port.close();
  });
}
