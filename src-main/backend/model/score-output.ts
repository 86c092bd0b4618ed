import { resolve } from 'node:path';
import type { ScoreResult } from '../../contract/ops/model';
import type { Dataset } from '../datasets';
import type { JobContext } from '../job';
import { logPredictions } from '../prediction-sink';
import type { BackendState } from '../state';
import { isParquetPath, writeTableAtomic } from '../table-file';
import { formatHereAfter, startCsvRows, type CsvRowsJob, type CsvThreads } from '../csv-file';
import type { Table } from '../../core/data/table';
import { alertsAfterScoring, warmAlertCheck } from '../alerts/evaluate';
import { idColumn, labelColumn, timeColumn } from './columns';
import { buildingSlots } from '../monitoring/buildings';
import { currentRegistry } from '../registry-access';
import { flaggedRows, scoredTable, selectRows } from './csv-out';
import type { PredictionBatch } from '../../core/monitoring';
import { abSummary, armBatches, routeScoring, shownScores, type RouteArgs } from './score-ab';

export interface ScoredRequest {
  model: string;
  version: string;
  features: string[];
  requestId: string;
  latencyMs: number;
  scores: Float64Array;
  flags: Uint8Array;
  /** Raw feature values, in `features` order (what the log keeps for drift). */
  values: Float64Array[];
}

/**
 * What every scorer does with its scores, whatever the model: append them to
 * the prediction log (progress by rows) and write the scored rows (CSV or
 * Parquet, by the file's name). One path, so both model kinds behave alike.
 */
export async function logAndWrite(
  args: { log: boolean; out?: string | undefined; outRows?: 'all' | 'flagged' } & RouteArgs,
  ds: Dataset,
  r: ScoredRequest,
  ctx: JobContext,
  state: BackendState,
  /** Work of the caller's between logging and writing the output (explanations), done while another thread formats the output. */
  afterLog: (logged: number) => Promise<void> = async () => undefined,
  /** Settles when the pooled thread is free to format the output's rows (it may be working out the score summary first). */
  threadFree: Promise<unknown> = Promise.resolve(),
): Promise<{ logged: number; out: ScoreResult['out']; shown: { scores: Float64Array; flags: Uint8Array }; ab?: ScoreResult['ab'] }> {
  let logged = 0;
  let alerting: Promise<void> = Promise.resolve();
  // An alias with an A/B or shadow run (ARCHITECTURE §4a): the output shows what each reading's arm decided.
  const routed = await routeScoring(args, ds, r, state);
  const shown = shownScores(r, routed);
  // A large CSV output starts formatting on another thread now, while this one logs (the scoring thread, if it is still pooled).
  const output = args.out ? outputTable(args.out, ds, shown, args.outRows, state, threadFree) : null;
  if (args.log) {
    void warmAlertCheck(state, r.model);
    ctx.progress('logging', 0, r.scores.length);
    const label = labelColumn(ds, undefined);
    const rowTimes = timeColumn(ds.table, ds.roles);
    const ids = idColumn(ds.table, ds.roles);
    const buildings = ids ? await buildingSlots((await currentRegistry(state)).dir, ids, state.logger) : null;
    const batch: PredictionBatch = {
      model: r.model,
      version: r.version,
      features: r.features,
      requestId: r.requestId,
      time: Date.now(),
      latencyMs: r.latencyMs,
      scores: r.scores,
      flags: r.flags,
      values: r.values,
      ...(label ? { labels: logLabels(label.values) } : {}),
      ...(rowTimes ? { rowTimes } : {}),
      ...(buildings ? { buildingSlots: buildings } : {}),
    };
    const appended = await logPredictions(state, routed ? armBatches(batch, routed) : batch, (rows, total) =>
      ctx.progress('logging', rows, total),
    );
    // A shadow's predictions are logged but decided nothing: `logged` counts what decided.
    logged = appended.appended - (routed?.run.mode === 'shadow' ? r.scores.length : 0);
    ctx.emit({ type: 'changed', topic: 'predictions' });
    // Data without an id column has no buildings: an empty set, so earlier per-building alerts resolve.
    // The rules are checked while the output is written (the check never fails: a failure is logged): the other thread
    // formats the rows meanwhile, and this one formats none of them before the check is done, only writes them.
    alerting = alertsAfterScoring(state, ctx, r.model, { model: r.model, buildings: buildingCounts(ds, shown.flags) ?? {} });
    if (output?.rows) formatHereAfter(output.rows, alerting);
  }
  let out: ScoreResult['out'] = null;
  try {
    // The output is written while the caller's work after the log (explanations, fsynced) runs; the file is renamed
    // into place only once that work is done, and not at all if it fails, as when the write waited for it.
    const after = afterLog(logged);
    after.catch(() => undefined);
    try {
      if (output) {
        const bytes = await writeTableAtomic(output.path, output.table, ctx, 'out', output.threads, output.rows, after);
        out = { path: output.path, rows: output.table.rowCount, bytes, renamed: output.renamed };
      }
    } finally {
      await after.catch(() => undefined);
    }
    await after;
  } finally {
    await alerting;
  }
  return { logged, out, shown, ...(routed ? { ab: abSummary(routed) } : {}) };
}

/** The scored rows to write to `out`; a large CSV's rows start formatting on another thread at once. */
function outputTable(
  out: string,
  ds: Dataset,
  shown: { scores: Float64Array; flags: Uint8Array },
  outRows: 'all' | 'flagged' | undefined,
  state: BackendState,
  threadFree: Promise<unknown>,
): { path: string; table: Table; renamed: Record<string, string>; threads: CsvThreads | null; rows: CsvRowsJob | null } {
  const path = resolve(out);
  const scored = scoredTable(ds.table, shown.scores, shown.flags);
  const table = outRows === 'flagged' ? selectRows(scored.table, flaggedRows(shown.flags)) : scored.table;
  const threads = state.scoreWorkerScript ? { workerScript: state.scoreWorkerScript, logger: state.logger } : null;
  return { path, table, renamed: scored.renamed, threads, rows: isParquetPath(path) ? null : startCsvRows(table, threads, threadFree) };
}

/** Labels for the log: 1 anomaly, 0 normal, -1 unknown. */
function logLabels(labels: Float64Array): Int8Array {
  // A plain loop: Int8Array.from with a mapping function is several times slower.
  const out = new Int8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    out[i] = Number.isNaN(v) ? -1 : v;
  }
  return out;
}

/** Readings and flags per building (id column) of this request; null without an id column. */
function buildingCounts(ds: Dataset, flags: Uint8Array): Record<string, { rows: number; anomalies: number }> | null {
  const ids = idColumn(ds.table, ds.roles);
  if (!ids) return null;
  const rows = new Float64Array(ids.dictionary.length);
  const anomalies = new Float64Array(ids.dictionary.length);
  for (let i = 0; i < flags.length; i++) {
    const c = ids.codes[i]!;
    if (c < 0) continue;
    rows[c]!++;
    if (flags[i]) anomalies[c]!++;
  }
  const out: Record<string, { rows: number; anomalies: number }> = {};
  ids.dictionary.forEach((name, c) => {
    if (rows[c]! > 0) out[name] = { rows: rows[c]!, anomalies: anomalies[c]! };
  });
  return out;
}
