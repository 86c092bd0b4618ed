import type { PredictionColumns, PredictionLog } from '../../core/monitoring';

/**
 * Reading a drift window out of the prediction log: feature values and reading
 * times of one model (optionally one version), at most `cap` rows.
 */
export interface LogWindow {
  features: Record<string, Float64Array>;
  time: Float64Array;
  rows: number;
  /** 1 = every reading; k = every k-th reading was kept (windows larger than the cap). */
  sampledEvery: number;
  versions: string[];
}

/** Rows held in memory for one drift report: 2M rows × ~8 features ≈ 130 MB at most. */
export const MAX_WINDOW_ROWS = 2_000_000;

export interface WindowQuery {
  model: string;
  /** Only this version's readings; undefined = every version of the model. */
  version?: string;
  /** Only readings logged with this building slot (predictions/buildings.json); undefined = every building. */
  building?: number;
  columns: string[];
}

/** The last n readings (of the version, when given), in log order. */
export async function lastReadings(log: PredictionLog, n: number, q: WindowQuery): Promise<LogWindow> {
  const only = log.versions().filter((v) => v.model === q.model);
  const single = q.version === undefined || only.every((v) => v.version === q.version);
  if (single && q.building === undefined) {
    if (q.version !== undefined && only.length === 0) return empty(q.columns);
    const want = Math.min(n, MAX_WINDOW_ROWS);
    const cols = await log.readLast(want, { model: q.model, columns: q.columns });
    // Beyond the cap the newest readings win: a drift window is about now.
    return fromColumns([cols], q, 1);
  }
  // Several versions interleave in the log, or one building's readings are wanted: walk it in chunks and keep the newest n.
  const kept: PredictionColumns[] = [];
  let keptRows = 0;
  await log.scan({ model: q.model, columns: q.columns }, (chunk) => {
    const filtered = filterRows(chunk, q);
    if (filtered.length === 0) return;
    kept.push(filtered);
    keptRows += filtered.length;
    while (kept.length > 1 && keptRows - kept[0]!.length >= n) keptRows -= kept.shift()!.length;
  });
  const window = fromColumns(kept, q, 1);
  return window.rows > n ? tail(window, Math.min(n, MAX_WINDOW_ROWS)) : window;
}

/** Readings of requests made in [fromMs, toMs), systematically thinned to the cap. */
export async function rangeReadings(log: PredictionLog, fromMs: number, toMs: number, q: WindowQuery): Promise<LogWindow> {
  const { requests } = await log.readRequests({ model: q.model, fromMs, toMs });
  let total = 0;
  for (let i = 0; i < requests.length; i++) total += requests.rows[i]!;
  const every = Math.max(1, Math.ceil(total / MAX_WINDOW_ROWS));
  const kept: PredictionColumns[] = [];
  let seen = 0;
  await log.scan({ model: q.model, columns: q.columns, fromMs, toMs }, (chunk) => {
    const byVersion = q.version === undefined && q.building === undefined ? chunk : filterRows(chunk, q);
    kept.push(every === 1 ? byVersion : thin(byVersion, every, seen));
    seen += byVersion.length;
  });
  return fromColumns(kept, q, every);
}

/**
 * Readings whose own timestamp (data time) is in [fromMs, toMs), thinned to the
 * cap. The request index only knows scoring times, so this scans the model's
 * readings twice: once to count (no feature columns), once to keep.
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
  const every = Math.max(1, Math.ceil(total / MAX_WINDOW_ROWS));
  const kept: PredictionColumns[] = [];
  let seen = 0;
  await log.scan({ model: q.model, columns: q.columns }, (chunk) => {
    const rows = inRange(chunk);
    const thinned = every === 1 ? rows : rows.filter((_, k) => (seen + k) % every === 0);
    seen += rows.length;
    const versions = q.version !== undefined ? [q.version] : chunk.versions.map((v) => v.version);
    if (thinned.length) kept.push(pick(chunk, thinned, versions));
  });
  return fromColumns(kept, q, every);
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

/** Every `every`-th row, counting from the window's start (`offset` rows were seen before this chunk). */
function thin(chunk: PredictionColumns, every: number, offset: number): PredictionColumns {
  const keep: number[] = [];
  for (let i = (every - (offset % every)) % every; i < chunk.length; i += every) keep.push(i);
  return pick(
    chunk,
    keep,
    chunk.versions.map((v) => v.version),
  );
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
  return { features, time, rows, sampledEvery, versions: [...versions] };
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
  };
}
