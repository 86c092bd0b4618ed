import { timeSpan } from '../../core/data/calendar';
import { WEEK_MS } from '../../contract/shared/time';
import type { PredictionColumns, PredictionLog } from '../../core/monitoring';
import { sampleRows } from '../../core/stats/sample';

/**
 * Reading a drift window out of the prediction log: feature values and reading
 * times of one model (optionally one version), at most `cap` rows.
 */
export interface LogWindow {
  features: Record<string, Float64Array>;
  time: Float64Array;
  rows: number;
  /** 1 = every reading; k = about 1 in k was kept (windows larger than the cap, or widened to a week). */
  sampledEvery: number;
  versions: string[];
  /** A count window whose last n readings spanned less than a week of data time, so it reaches back a week (n of it kept at random). */
  widened: boolean;
}

/** Rows held in memory for one drift report: 2M rows × ~8 features ≈ 130 MB at most. */
export const MAX_WINDOW_ROWS = 2_000_000;

/**
 * The least data time a window of the last n readings covers. Training data
 * holds weekdays and weekends, days and nights; 10,000 readings of a fleet of
 * 278 buildings are a day and a half, and against that every feature drifted
 * on the very file the model was trained on. A week of it, sampled to 10,000,
 * flagged one feature (a real change of weather).
 */
export const MIN_WINDOW_SPAN_MS = WEEK_MS;

export interface WindowQuery {
  model: string;
  /** Only this version's readings; undefined = every version of the model. */
  version?: string;
  /** Only readings logged with this building slot (predictions/buildings.json); undefined = every building. */
  building?: number;
  columns: string[];
}

/**
 * The last n readings (of the version, when given), in log order; when they
 * span less than MIN_WINDOW_SPAN_MS of data time, a uniform sample of n of
 * the newest readings that span it (or of the whole log), still in log order.
 */
export async function lastReadings(log: PredictionLog, n: number, q: WindowQuery): Promise<LogWindow> {
  const only = log.versions().filter((v) => v.model === q.model);
  const single = q.version === undefined || only.every((v) => v.version === q.version);
  if (single && q.building === undefined) {
    if (q.version !== undefined && only.length === 0) return empty(q.columns);
    let want = Math.min(n, MAX_WINDOW_ROWS);
    let cols = await log.readLast(want, { model: q.model, columns: q.columns });
    for (let more = rowsForSpan(cols, want); more !== null; more = rowsForSpan(cols, want)) {
      want = more;
      cols = await log.readLast(want, { model: q.model, columns: q.columns });
    }
    // Beyond the cap the newest readings win: a drift window is about now.
    return countWindow(fromColumns([cols], q, 1), n);
  }
  // Several versions interleave in the log, or one building's readings are wanted: walk it in chunks and keep the newest
  // that hold both n readings and the least span (up to the cap).
  const kept: PredictionColumns[] = [];
  const spans: ([number, number] | null)[] = [];
  let keptRows = 0;
  await log.scan({ model: q.model, columns: q.columns }, (chunk) => {
    const filtered = filterRows(chunk, q);
    if (filtered.length === 0) return;
    kept.push(filtered);
    spans.push(timeSpan(filtered.time.subarray(0, filtered.length)));
    keptRows += filtered.length;
    while (kept.length > 1) {
      const rest = keptRows - kept[0]!.length;
      const span = spanOf(spans, 1);
      // Without data time in the newer chunks the count alone decides.
      if (rest < n || (rest < MAX_WINDOW_ROWS && Number.isFinite(span) && span < MIN_WINDOW_SPAN_MS)) break;
      keptRows = rest;
      kept.shift();
      spans.shift();
    }
  });
  return countWindow(fromColumns(kept, q, 1), n);
}

/** How many readings to read next for the least span, or null when `cols` (of `asked` readings) is enough or all there is. */
function rowsForSpan(cols: PredictionColumns, asked: number): number | null {
  if (cols.length < asked || asked >= MAX_WINDOW_ROWS) return null;
  const range = timeSpan(cols.time.subarray(0, cols.length));
  // No data time to judge by: the count alone decides.
  if (!range) return null;
  const span = range[1] - range[0];
  if (span >= MIN_WINDOW_SPAN_MS) return null;
  // Readings arrive at about the same pace: scale up, with a margin, and at least by a quarter.
  const scale = span > 0 ? Math.max(1.25, (1.1 * MIN_WINDOW_SPAN_MS) / span) : 2;
  return Math.min(MAX_WINDOW_ROWS, Math.ceil(asked * scale));
}

/** The newest rows of `w` that hold n readings and the least span (or all of `w`), sampled down to n. */
function countWindow(w: LogWindow, n: number): LogWindow {
  const last = Math.min(n, MAX_WINDOW_ROWS);
  const countFrom = Math.max(0, w.rows - last);
  const from = spanStart(w.time, countFrom);
  const window = from > 0 ? tail(w, w.rows - from) : w;
  if (window.rows <= last) return window;
  // Seeded by the size, so the same log gives the same window (and the same drift figures) every time.
  return { ...pickRows(window, sampleRows(window.rows, last, window.rows)), widened: from < countFrom };
}

/** The latest start ≤ `from` whose rows span the least span of data time; `from` when they do already or have no time. */
function spanStart(time: Float64Array, from: number): number {
  const range = timeSpan(time.subarray(from));
  if (!range || range[1] - range[0] >= MIN_WINDOW_SPAN_MS) return from;
  let [lo, hi] = range;
  for (let i = from - 1; i >= 0; i--) {
    const t = time[i]!;
    if (!Number.isFinite(t)) continue;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
    if (hi - lo >= MIN_WINDOW_SPAN_MS) return i;
  }
  return 0;
}

/** The rows `keep` (ascending) of `w`; `sampledEvery` becomes about 1 in how many were kept. */
function pickRows(w: LogWindow, keep: Int32Array): LogWindow {
  const take = (col: Float64Array): Float64Array => {
    const out = new Float64Array(keep.length);
    for (let k = 0; k < keep.length; k++) out[k] = col[keep[k]!]!;
    return out;
  };
  const features: Record<string, Float64Array> = {};
  for (const [name, col] of Object.entries(w.features)) features[name] = take(col);
  return {
    ...w,
    features,
    time: take(w.time),
    rows: keep.length,
    sampledEvery: keptRatio(w.rows * w.sampledEvery, [{ length: keep.length }]),
  };
}

/** The data time the chunks from `from` on span together (−Infinity without any). */
function spanOf(ranges: ([number, number] | null)[], from: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < ranges.length; i++) {
    const r = ranges[i];
    if (!r) continue;
    lo = Math.min(lo, r[0]);
    hi = Math.max(hi, r[1]);
  }
  return hi - lo;
}

/** Readings of requests made in [fromMs, toMs), sampled down to the cap. */
export async function rangeReadings(log: PredictionLog, fromMs: number, toMs: number, q: WindowQuery): Promise<LogWindow> {
  const { requests } = await log.readRequests({ model: q.model, fromMs, toMs });
  let total = 0;
  for (let i = 0; i < requests.length; i++) total += requests.rows[i]!;
  // Drawn over every reading of the requests: restricted to one version's or building's, still a uniform sample of them.
  const plan = capPlan(total);
  const kept: PredictionColumns[] = [];
  let seen = 0;
  await log.scan({ model: q.model, columns: q.columns, fromMs, toMs }, (chunk) => {
    const byVersion = q.version === undefined && q.building === undefined ? chunk : filterRows(chunk, q);
    kept.push(
      plan
        ? pick(
            byVersion,
            plan.take(seen, byVersion.length),
            byVersion.versions.map((v) => v.version),
          )
        : byVersion,
    );
    seen += byVersion.length;
  });
  return fromColumns(kept, q, plan ? keptRatio(seen, kept) : 1);
}

/**
 * Readings whose own timestamp (data time) is in [fromMs, toMs), sampled down
 * to the cap. The request index only knows scoring times, so this scans the
 * model's readings twice: once to count (no feature columns), once to keep.
 */
export async function dataRangeReadings(log: PredictionLog, fromMs: number, toMs: number, q: WindowQuery): Promise<LogWindow> {
  const inRange = (chunk: PredictionColumns): number[] => {
    const slot = q.version === undefined ? -1 : chunk.versions.findIndex((v) => v.version === q.version);
    if (q.version !== undefined && slot < 0) return [];
    const keep: number[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const t = chunk.time[i]!;
      if (t < fromMs || t >= toMs || (slot >= 0 && chunk.versionIndex[i] !== slot)) continue;
      if (q.building === undefined || chunk.building[i] === q.building) keep.push(i);
    }
    return keep;
  };
  let total = 0;
  await log.scan({ model: q.model, columns: [] }, (chunk) => {
    total += inRange(chunk).length;
  });
  const plan = capPlan(total);
  const kept: PredictionColumns[] = [];
  let seen = 0;
  await log.scan({ model: q.model, columns: q.columns }, (chunk) => {
    const rows = inRange(chunk);
    const chosen = plan ? plan.take(seen, rows.length).map((k) => rows[k]!) : rows;
    seen += rows.length;
    const versions = q.version !== undefined ? [q.version] : chunk.versions.map((v) => v.version);
    if (chosen.length) kept.push(pick(chunk, chosen, versions));
  });
  return fromColumns(kept, q, plan ? keptRatio(total, kept) : 1);
}

/** Which of `total` streamed rows to keep when they are more than the cap (null: all), taken chunk by chunk. */
function capPlan(total: number): { take(seen: number, length: number): number[] } | null {
  if (total <= MAX_WINDOW_ROWS) return null;
  const plan = sampleRows(total, MAX_WINDOW_ROWS, total);
  let at = 0;
  return {
    /** Offsets into the chunk of rows seen … seen + length − 1 that the plan keeps. */
    take(seen, length) {
      const rows: number[] = [];
      while (at < plan.length && plan[at]! < seen + length) rows.push(plan[at++]! - seen);
      return rows;
    },
  };
}

/** About 1 in how many of `total` readings the kept parts hold (one decimal). */
function keptRatio(total: number, kept: readonly { length: number }[]): number {
  const rows = kept.reduce((s, p) => s + p.length, 0);
  return rows > 0 ? Math.round((10 * total) / rows) / 10 : 1;
}

/** The chunk's readings of the query's version and building (either may be any). */
function filterRows(chunk: PredictionColumns, q: WindowQuery): PredictionColumns {
  const slot = q.version === undefined ? -1 : chunk.versions.findIndex((v) => v.version === q.version);
  if (q.version !== undefined && slot < 0) return { ...chunk, length: 0, time: new Float64Array(0), features: {} };
  const keep: number[] = [];
  for (let i = 0; i < chunk.length; i++) {
    if (slot >= 0 && chunk.versionIndex[i] !== slot) continue;
    if (q.building === undefined || chunk.building[i] === q.building) keep.push(i);
  }
  return pick(chunk, keep, q.version !== undefined ? [q.version] : chunk.versions.map((v) => v.version));
}

function pick(chunk: PredictionColumns, rows: number[], versions: string[]): PredictionColumns {
  const features: Record<string, Float64Array> = {};
  for (const [name, col] of Object.entries(chunk.features)) features[name] = Float64Array.from(rows, (i) => col[i]!);
  return {
    ...chunk,
    length: rows.length,
    time: Float64Array.from(rows, (i) => chunk.time[i]!),
    features,
    versions: versions.map((version) => ({ model: chunk.versions[0]?.model ?? '', version })),
  };
}

function fromColumns(parts: PredictionColumns[], q: WindowQuery, sampledEvery: number): LogWindow {
  const rows = parts.reduce((s, p) => s + p.length, 0);
  const features: Record<string, Float64Array> = {};
  for (const name of q.columns) features[name] = new Float64Array(rows).fill(Number.NaN);
  const time = new Float64Array(rows);
  const versions = new Set<string>();
  let at = 0;
  for (const p of parts) {
    time.set(p.time.subarray(0, p.length), at);
    for (const name of q.columns) {
      const col = p.features[name];
      if (col) features[name]!.set(col.subarray(0, p.length), at);
    }
    for (const v of p.versions) versions.add(v.version);
    at += p.length;
  }
  return { features, time, rows, sampledEvery, versions: [...versions], widened: false };
}

function tail(w: LogWindow, n: number): LogWindow {
  const from = w.rows - n;
  const features: Record<string, Float64Array> = {};
  for (const [name, col] of Object.entries(w.features)) features[name] = col.subarray(from);
  return { ...w, features, time: w.time.subarray(from), rows: n };
}

function empty(columns: string[]): LogWindow {
  return {
    features: Object.fromEntries(columns.map((c) => [c, new Float64Array(0)])),
    time: new Float64Array(0),
    rows: 0,
    sampledEvery: 1,
    versions: [],
    widened: false,
  };
}
