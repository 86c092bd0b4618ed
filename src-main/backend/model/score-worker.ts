/**
 * Worker entry of the extra threads (score-threads.ts pools them): scores a
 * slice of rows (parallel-score.ts), parses ranges of a CSV (csv-threads.ts),
 * formats claimed chunks of a table's rows as CSV (csv-file.ts), or fits and
 * scores contextual slices (contextual-task.ts, contextual-claim.ts). A thread serves
 * requests until its parent ends it, so one started for scoring can format
 * the output after. The build must emit this as its own JS file and hand its
 * path to the callers (a Worker cannot start from a TypeScript source).
 * Scoring runs in chunks and posts the rows done after each, so the job's
 * progress moves while the slice is scored (issue 9.16).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { parseClaimedRanges, type ByteRange, type CsvRangePlan, type CsvRangeResult } from '../../core/data/csv-range';
import { csvRowFormatter } from '../../core/data/csv-write';
import type { Table } from '../../core/data/table';
import { scoreRange } from '../../core/model/score-kernel';
import type { ForestArrays } from '../../core/model/types';
import { runContextualTask, type ContextualTask } from './contextual-task';
import { scoreClaimedSlices, type ContextualClaimReply, type ContextualClaimRequest } from './contextual-claim';
import { claimedScoreStats, type ScoreStatsReply, type ScoreStatsRequest } from './score-stats';
import { scoreFreeParts, type FeedBatch } from './feed-parts';

export interface ScoreRequest {
  kind: 'score';
  trees: ForestArrays;
  subsample: number;
  columns: Float64Array[];
  /** Rows between two progress messages. */
  chunkRows: number;
}

/**
 * Batches of rows to score as they come (score-ahead.ts): each is posted on
 * `port` as a ScoreFeedChunk, in shared memory; null ends the feed, and the
 * reply then says every batch this thread claimed is scored.
 */
export interface ScoreFeedRequest {
  kind: 'score-feed';
  trees: ForestArrays;
  subsample: number;
  port: MessagePort;
}

/** One batch of a score feed, claimed and scored in parts (feed-parts.ts). */
export type ScoreFeedChunk = FeedBatch;

/**
 * CSV rows of `table` (its columns in shared memory), in chunks of
 * `rowsPerChunk` rows claimed from `counter` (shared with the thread writing
 * the file, csv-file.ts); each chunk is posted as a CsvChunk when formatted.
 */
export interface CsvClaimRequest {
  kind: 'csv-claim';
  table: Table;
  rowsPerChunk: number;
  counter: Int32Array;
}

/**
 * Ranges of a CSV's rows to parse (csv-threads.ts): `bytes` is the whole file
 * and `next` the index of the next unclaimed range, both in shared memory.
 */
export interface CsvRangeRequest {
  kind: 'csv-ranges';
  bytes: Uint8Array;
  ranges: ByteRange[];
  plan: CsvRangePlan;
  next: Int32Array;
}

export type WorkerRequest =
  ScoreRequest | ScoreFeedRequest | ScoreStatsRequest | CsvClaimRequest | CsvRangeRequest | ContextualClaimRequest;

export type ScoreReply = { ok: true; scores: Float64Array } | { ok: false; message: string };
/** Rows of the slice scored so far; sent before the reply. */
export interface ScoreProgress {
  progress: number;
}
export type CsvRangeReply = { ok: true; parsed: { index: number; result: CsvRangeResult }[] } | { ok: false; message: string };
/** One chunk of a CsvClaimRequest's rows, posted before the reply. */
export interface CsvChunk {
  chunk: number;
  bytes: Uint8Array;
}
export type CsvClaimReply = { ok: true } | { ok: false; message: string };
export type ScoreFeedReply = { ok: true } | { ok: false; message: string };

/** Scores the feed's batches as they arrive, until the null that ends it; then replies on `reply`. */
function scoreFeed(reply: MessagePort, request: ScoreFeedRequest): void {
  const { trees, subsample, port } = request;
  port.on('message', (batch: ScoreFeedChunk | null) => {
    if (batch === null) {
      port.close();
      reply.postMessage({ ok: true } satisfies ScoreFeedReply);
      return;
    }
    try {
      scoreFreeParts(batch, trees, subsample);
    } catch (err) {
      // The part stays claimed but unscored: the feeding thread scores it after the failed reply.
      port.close();
      reply.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies ScoreFeedReply);
    }
  });
}

function csvClaim(port: MessagePort, request: CsvClaimRequest): void {
  const { table, rowsPerChunk, counter } = request;
  const chunks = Math.ceil(table.rowCount / rowsPerChunk);
  const format = csvRowFormatter(table, rowsPerChunk);
  for (let k = Atomics.add(counter, 0, 1); k < chunks; k = Atomics.add(counter, 0, 1)) {
    const formatted = format(k * rowsPerChunk, Math.min(table.rowCount, (k + 1) * rowsPerChunk));
    // Transferred, so it must own its whole ArrayBuffer: a small Buffer may share Node's pool (then it is copied).
    const buffer = formatted.buffer;
    const owns = buffer instanceof ArrayBuffer && formatted.byteOffset === 0 && formatted.byteLength === buffer.byteLength;
    const bytes = owns ? new Uint8Array(buffer) : new Uint8Array(formatted);
    port.postMessage({ chunk: k, bytes } satisfies CsvChunk, [bytes.buffer]);
  }
}

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest | ContextualTask) => {
    // The contextual detector's slices share this thread entry (one built worker script) and its pool.
    if ('task' in request) {
      runContextualTask(port, request);
      return;
    }
    try {
      if (request.kind === 'score-feed') {
        scoreFeed(port, request);
      } else if (request.kind === 'score-stats') {
        port.postMessage({ ok: true, stats: claimedScoreStats(request) } satisfies ScoreStatsReply);
      } else if (request.kind === 'contextual-claim') {
        const reply: ContextualClaimReply = { ok: true, notes: scoreClaimedSlices(request) };
        port.postMessage(reply);
      } else if (request.kind === 'csv-ranges') {
        const { bytes, ranges, plan, next } = request;
        const parsed = parseClaimedRanges(bytes, ranges, plan, () => Atomics.add(next, 0, 1));
        const reply: CsvRangeReply = { ok: true, parsed };
        port.postMessage(
          reply,
          parsed.flatMap(({ result }) => result.columns.map((c) => ('codes' in c ? c.codes.buffer : c.values.buffer) as ArrayBuffer)),
        );
      } else if (request.kind === 'csv-claim') {
        csvClaim(port, request);
        port.postMessage({ ok: true } satisfies CsvClaimReply);
      } else {
        const rows = request.columns[0]?.length ?? 0;
        const scores = new Float64Array(rows);
        const chunk = Math.max(1, request.chunkRows);
        for (let from = 0; from < rows; from += chunk) {
          const to = Math.min(rows, from + chunk);
          scoreRange(request.trees, request.subsample, request.columns, from, to, scores);
          port.postMessage({ progress: to } satisfies ScoreProgress);
        }
        const reply: ScoreReply = { ok: true, scores };
        port.postMessage(reply, [scores.buffer]);
      }
    } catch (err) {
      const reply: ScoreReply = { ok: false, message: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    }
  });
}
