/**
 * Scoring while the file is read (issue 8): the CLI's score of a large CSV
 * used to parse every row on this thread while the scoring thread, started
 * ahead, sat idle, and only then score. Here the import hands out batches of
 * rows as they are read (core/data/csv-import.ts RowsTap); the import's
 * columns are in shared memory, so each batch posted to the pooled thread is
 * a view of its rows there, and the thread scores it at once. When the import
 * ends, this thread scores the rows not handed out and claims the batches the
 * other thread has not started; a claim cell per part of a batch
 * (feed-parts.ts) makes sure each row is scored exactly once.
 *
 * The scores are those of scoreSamples: the same kernel on the same values.
 * The import's rows below a batch's end are final when it is handed out, and
 * finish() checks each batch's values against the finished table anyway: a
 * batch that differs is scored again from the table. Anything unexpected
 * (the other thread failing, a different table) falls back to scoring here.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { VersionMeta } from '../../contract/shared/registry';
import { allocColumn, isShared } from '../../core/data/column-memory';
import type { RowsTap } from '../../core/data/csv-import';
import { scoreRange } from '../../core/model/score-kernel';
import type { IForestModel } from '../../core/model/types';
import type { BackendState } from '../state';
import { currentRegistry } from '../registry-access';
import { pickModel } from '../registry/pick-model';
import { runOnThread, type ThreadOptions } from './score-threads';
import { loadDetector, resolveVersion } from './versions';
import type { ScoreFeedChunk, ScoreFeedReply } from './score-worker';
import { FEED_HEAD_BYTES, FEED_PARTS, scoreFreeParts, scoreUnfinishedParts } from './feed-parts';

/**
 * Rows per batch: big enough that posting one costs little, small enough that the last one claimed is short
 * (this thread waits for it) and that the first is handed out soon after the import starts (the other thread waits for it).
 */
const BATCH_ROWS = 8_192;
/**
 * Rows in the first batch: the other thread is ready well before this thread has read the schema's sample and 8,192
 * rows (it waited ~100 ms in profiles); a first batch just after the sample's 1,000 rows starts it ~15 ms sooner.
 */
const FIRST_BATCH_ROWS = 1_024;

interface Batch extends ScoreFeedChunk {
  from: number;
  to: number;
}

export class ScoreAhead {
  readonly tap: RowsTap;
  /** The dataset whose import used the tap (set by the import); its scores are the only ones this holds. */
  datasetId: string | null = null;
  private readonly batches: Batch[] = [];
  /** True once the file turned out not to have the model's features as number columns (or a batch could not be posted): no more batches. */
  private declined = false;
  private readonly port: MessagePort;
  private readonly reply: Promise<unknown>;
  private open = true;

  constructor(
    readonly meta: VersionMeta,
    readonly model: IForestModel,
    threads: ThreadOptions,
    /** False leaves every batch to the other thread (tests use it to be sure it scores). */
    private readonly claimHere = true,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.reply = runOnThread<ScoreFeedReply>(threads, { kind: 'score-feed', trees: model.trees, subsample: model.subsample, port: port2 }, [
      port2,
    ]);
    // Awaited in finish(); a thread that fails meanwhile only means this thread scores its batches.
    this.reply.catch(() => undefined);
    this.tap = {
      every: BATCH_ROWS,
      first: FIRST_BATCH_ROWS,
      memory: 'shared',
      ready: (from, to, numbers) => {
        // Called from inside the import: whatever goes wrong here only means these rows are scored after it.
        try {
          this.add(from, to, numbers);
        } catch {
          this.declined = true;
        }
      },
    };
  }

  private add(from: number, to: number, numbers: (name: string) => Float64Array | null): void {
    if (this.declined || !this.open) return;
    const sources = this.model.features.map(numbers);
    if (sources.some((c) => c === null)) {
      this.declined = true;
      return;
    }
    // The tap asks for the import's columns in shared memory: the other thread reads the batch's rows where they are.
    if (!sources.every((c) => isShared(c!))) {
      this.declined = true;
      return;
    }
    const n = to - from;
    // One shared block per batch: the parts' claim cells (padded to 8 bytes), then the scores.
    const shared = new SharedArrayBuffer(FEED_HEAD_BYTES + n * 8);
    const batch: Batch = {
      from,
      to,
      claim: new Int32Array(shared, 0, FEED_PARTS),
      columns: sources.map((c) => c!.subarray(from, to)),
      scores: new Float64Array(shared, FEED_HEAD_BYTES, n),
    };
    this.batches.push(batch);
    this.port.postMessage(batch satisfies ScoreFeedChunk);
  }

  /** Ends the other thread's part (it goes back to the pool once it has scored what it claimed). */
  private close(): Promise<unknown> {
    if (this.open) {
      this.open = false;
      this.port.postMessage(null);
    }
    return this.reply;
  }

  /** Drops the batches (the import failed, or the scores are not wanted); resolves when the other thread is back in the pool. */
  async release(): Promise<void> {
    await this.close().catch(() => undefined);
  }

  /** True when `ds`'s import fed this and `meta` is the version it scores with. */
  serves(datasetId: string, meta: VersionMeta): boolean {
    return (
      this.datasetId === datasetId &&
      this.batches.length > 0 &&
      meta.model === this.meta.model &&
      meta.version === this.meta.version &&
      meta.artifact.sha256 === this.meta.artifact.sha256
    );
  }

  /**
   * The scores of every row of `raw` (the finished table's feature columns,
   * in model.features order): the batches' scores where the values match,
   * the rest scored here. `progress` gets the rows known so far (it may throw
   * to cancel: the other thread is released). `threads`: how many scored rows.
   */
  async finish(raw: Float64Array[], progress: (done: number) => void): Promise<{ scores: Float64Array; threads: number }> {
    const rows = raw[0]?.length ?? 0;
    const { trees, subsample } = this.model;
    // In shared memory, like the table: the score summary's and the output's threads read the scores without a copy.
    const out = allocColumn(Float64Array, rows, 'shared');
    const batches = this.batches.filter((b) => b.to <= rows && sameValues(b, raw));
    let done = 0;
    let mine = 0;
    // Rows known so far, reported only when they grow (a count never repeats).
    let reported = -1;
    const report = (rowsDone: number): void => {
      if (rowsDone <= reported) return;
      reported = rowsDone;
      progress(rowsDone);
    };
    try {
      // The rows no batch holds first: only this thread can score them.
      let at = 0;
      for (const b of batches) {
        if (b.from > at) scoreRange(trees, subsample, raw, at, b.from, out);
        at = b.to;
      }
      if (rows > at) scoreRange(trees, subsample, raw, at, rows, out);
      done = rows - batches.reduce((sum, b) => sum + (b.to - b.from), 0);
      report(done);
      for (const b of this.claimHere ? batches : []) {
        const scored = scoreFreeParts(b, trees, subsample);
        if (scored === 0) continue;
        mine += scored;
        done += scored;
        report(done);
      }
    } catch (error) {
      void this.release();
      throw error;
    }
    let failed = false;
    await this.close().catch(() => {
      failed = true;
    });
    for (const b of batches) {
      // Parts the other thread claimed but did not finish (it failed): scored here.
      scoreUnfinishedParts(b, trees, subsample);
      out.set(b.scores, b.from);
    }
    report(rows);
    const theirs = batches.reduce((sum, b) => sum + (b.to - b.from), 0) - mine;
    return { scores: out, threads: theirs > 0 && !failed ? 2 : 1 };
  }
}

/**
 * The batch holds exactly the table's values for its rows (NaN matches NaN): at once when its columns are views of the
 * table's own, else (the column grew after the batch was handed out) compared value by value.
 */
function sameValues(b: Batch, raw: Float64Array[]): boolean {
  for (let f = 0; f < raw.length; f++) {
    const mine = b.columns[f]!;
    const table = raw[f]!;
    if (mine.buffer === table.buffer && mine.byteOffset === table.byteOffset + b.from * 8 && mine.length === b.to - b.from) continue;
    for (let i = 0, r = b.from; i < mine.length; i++, r++) {
      const x = mine[i]!;
      const y = table[r]!;
      if (x !== y && (x === x || y === y)) return false;
    }
  }
  return true;
}

/**
 * Before importing a file to score it with the version `by` selects (as
 * model.score will): starts scoring its rows as they are read, on a pooled
 * thread, when the version is a forest on unscaled features. Anything in the
 * way (no such version, a damaged artifact) starts nothing: the score then
 * reports it as usual.
 */
export async function startScoreAhead(
  state: BackendState,
  by: { model?: string | undefined; version?: string | undefined; alias?: string | undefined },
  claimHere = true,
): Promise<void> {
  dropScoreAhead(state);
  if (!state.scoreWorkerScript) return;
  try {
    const registry = await currentRegistry(state);
    const model = await pickModel(registry, by.model);
    const meta = await resolveVersion(registry, model, {
      ...(by.version !== undefined ? { version: by.version } : {}),
      ...(by.alias !== undefined ? { alias: by.alias } : {}),
    });
    const detector = await loadDetector(registry, meta);
    if (detector.kind !== 'isolation-forest' || detector.preprocess.kind !== 'none') return;
    state.scoreAhead = new ScoreAhead(meta, detector.model, { workerScript: state.scoreWorkerScript }, claimHere);
  } catch (error) {
    state.logger.debug('Not scoring while reading.', { error: (error as Error).message });
  }
}

/** Drops the scoring started ahead, if any (its thread goes back to the pool). */
export function dropScoreAhead(state: Pick<BackendState, 'scoreAhead'>): void {
  void state.scoreAhead?.release();
  state.scoreAhead = null;
}
