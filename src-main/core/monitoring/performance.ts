import { sum } from 'd3-array';
import {
  ONLINE_MAX_ROWS,
  type RequestKindCount,
  type ClassificationView as ClassificationMetrics,
  type LatencyStatsView as LatencyStats,
  type PerformanceView as PerformanceSummary,
  type LatencyTrendPointView as LatencyTrendPoint,
  type TrendPointView as TrendPoint,
  type VersionPerformanceView as VersionPerformance,
} from '../../contract/shared/monitoring';
import type { ModelVersionRef, PredictionColumns, RequestColumns } from './columns';
import { nearestRankInPlace } from './percentile';
import type { PredictionLog, ScanOptions } from './prediction-log';
import { HOUR_MS } from '../../contract/shared/time';

/**
 * Performance metrics over logged predictions.
 *
 * Semantics (why they are not per reading):
 * - A request of at most ONLINE_MAX_ROWS readings is online, a bigger one a batch
 *   (decided on the whole request, from the index, so old logs read the same).
 * - Online latency is per request: one value per request, never per reading.
 * - A batch is judged by its latency per reading (latency / readings), one value
 *   per batch: 154 ms for 2,160 readings is fast, not a slow request.
 * - Percentiles are nearest-rank: the p50 of two requests is a latency one of them
 *   had, not a value between them.
 * - Throughput is readings per second of busy time, the sum of request latencies:
 *   two requests an hour apart do not make scoring slow.
 * - The predictions/anomalies trend buckets readings by data time (each reading's
 *   own timestamp): 30 days of readings scored in one minute spread over 720 hours,
 *   not one. The latency trend buckets requests by scoring time, the only clock
 *   latency means something in. Both are hourly (UTC), widened to whole multiples
 *   of an hour so there are at most `maxTrendPoints` buckets; empty buckets are
 *   left out.
 * - Precision/recall/F1 use readings with label ≥ 0; the flag is the prediction.
 * All "no data" values are null rather than NaN so the summary survives JSON.
 */

export type { ClassificationMetrics, LatencyStats, LatencyTrendPoint, PerformanceSummary, TrendPoint, VersionPerformance };

export interface PerformanceOptions {
  /** Default 2,000. */
  maxTrendPoints?: number;
}

const DEFAULT_TREND_POINTS = 2_000;

/** Summary of an in-memory read (`readLast`, `readRange`). */
export function summarizePerformance(cols: PredictionColumns, opts: PerformanceOptions = {}): PerformanceSummary {
  const confusion = new Confusion();
  confusion.add(cols.flag, cols.label);
  const hours = new HourCounts();
  hours.add(cols.time, cols.flag);
  return buildSummary(cols.versions, cols.requests, confusion, hours, opts);
}

/**
 * Summary straight from the log, for logs too big to read whole: latency and
 * anomaly counts come from the request index; the records are scanned in chunks,
 * without feature values, for the readings' own times (the data-time trend) and
 * labels.
 */
export async function summarizeLog(
  log: PredictionLog,
  opts: Omit<ScanOptions, 'columns' | 'chunkRows'> & PerformanceOptions = {},
): Promise<PerformanceSummary> {
  const { versions, requests } = await log.readRequests(opts);
  const confusion = new Confusion();
  const labelled = sum(requests.labelled) > 0;
  const hours = new HourCounts();
  await log.scan({ ...opts, columns: [] }, (chunk) => {
    hours.add(chunk.time, chunk.flag);
    if (labelled) confusion.add(chunk.flag, chunk.label);
  });
  return buildSummary(versions, requests, confusion, hours, opts);
}

/** Per-request latency stats straight from the request index: the fast path for "p95 over 10M". */
export function logLatencyStats(log: PredictionLog, opts: Omit<ScanOptions, 'columns' | 'chunkRows'> = {}): LatencyStats | null {
  return statsInPlace(log.requestLatencies(opts));
}

/** Mean, p50/p95/p99 (nearest-rank) and max of latencies; null when empty. Works on a copy. */
export function latencyStats(latencies: ArrayLike<number>): LatencyStats | null {
  return statsInPlace(toFloat64(latencies));
}

/** Precision, recall and F1 from flags (predictions) and labels (-1 = unknown, skipped). */
export function classificationMetrics(flags: ArrayLike<number>, labels: ArrayLike<number>): ClassificationMetrics | null {
  const c = new Confusion();
  c.add(flags, labels);
  return c.result();
}

function buildSummary(
  versions: readonly ModelVersionRef[],
  req: RequestColumns,
  confusion: Confusion,
  hours: HourCounts,
  opts: PerformanceOptions,
): PerformanceSummary {
  const n = req.length;
  const predictions = sum(req.rows);
  const anomalies = sum(req.anomalies);
  let from = Number.POSITIVE_INFINITY;
  let until = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = req.time[i]!;
    if (t < from) from = t;
    if (t + req.latencyMs[i]! > until) until = t + req.latencyMs[i]!;
  }
  let busyMs = 0;
  for (let i = 0; i < n; i++) busyMs += req.latencyMs[i]!;
  const kinds = splitKinds(req, allMembers(n));
  return {
    predictions,
    requests: n,
    anomalies,
    anomalyRate: predictions > 0 ? anomalies / predictions : null,
    latency: statsInPlace(kinds.onlineLatency),
    readingLatency: statsInPlace(kinds.readingLatency),
    online: kinds.online,
    batch: kinds.batch,
    throughputPerSec: n > 0 && busyMs > 0 ? predictions / (busyMs / 1000) : null,
    timeRange: n > 0 ? { fromMs: from, toMs: until } : null,
    dataTimeRange: hours.range(),
    trend: hours.trend(opts.maxTrendPoints ?? DEFAULT_TREND_POINTS),
    latencyTrend: latencyTrend(req, opts.maxTrendPoints ?? DEFAULT_TREND_POINTS),
    classification: confusion.result(),
    byVersion: byVersion(versions, req),
  };
}

function byVersion(versions: readonly ModelVersionRef[], req: RequestColumns): VersionPerformance[] {
  const groups = groupBy(req, versions.length, (i) => req.versionIndex[i]!);
  return versions.map((v, k) => {
    const g = groups[k]!;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const i of g.members) {
      first = Math.min(first, req.time[i]!);
      last = Math.max(last, req.time[i]!);
    }
    const kinds = splitKinds(req, g.members);
    return {
      model: v.model,
      version: v.version,
      requests: g.members.length,
      predictions: g.rows,
      anomalies: g.anomalies,
      anomalyRate: g.rows > 0 ? g.anomalies / g.rows : null,
      latency: statsInPlace(kinds.onlineLatency),
      readingLatency: statsInPlace(kinds.readingLatency),
      firstMs: g.members.length > 0 ? first : null,
      lastMs: g.members.length > 0 ? last : null,
    };
  });
}

/** Whole hours per bucket so that [minHour, maxHour] fits in `maxPoints` buckets. */
function bucketHours(minHour: number, maxHour: number, maxPoints: number): number {
  return Math.max(1, Math.ceil((maxHour - minHour + 1) / Math.max(1, maxPoints)));
}

/**
 * Readings and flags per UTC hour of their own timestamp, accumulated chunk by
 * chunk (one pass over the records); merged into wider buckets only at the end.
 */
export class HourCounts {
  private readonly byHour = new Map<number, { predictions: number; anomalies: number }>();
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  add(time: ArrayLike<number>, flag: ArrayLike<number>): void {
    let hour = Number.NaN;
    let at: { predictions: number; anomalies: number } | undefined;
    for (let i = 0; i < time.length; i++) {
      const t = time[i]!;
      // A reading logged with a missing timestamp has no place on a time axis.
      if (!Number.isFinite(t)) continue;
      if (t < this.min) this.min = t;
      if (t > this.max) this.max = t;
      const h = Math.floor(t / HOUR_MS);
      // Readings come in time order mostly: one map look-up per hour run, not per reading.
      if (h !== hour || at === undefined) {
        hour = h;
        at = this.byHour.get(h);
        if (!at) this.byHour.set(h, (at = { predictions: 0, anomalies: 0 }));
      }
      at.predictions++;
      if (flag[i]) at.anomalies++;
    }
  }

  range(): { fromMs: number; toMs: number } | null {
    return this.byHour.size > 0 ? { fromMs: this.min, toMs: this.max } : null;
  }

  trend(maxPoints: number): { bucketMs: number; points: TrendPoint[] } {
    if (this.byHour.size === 0) return { bucketMs: HOUR_MS, points: [] };
    const minHour = Math.floor(this.min / HOUR_MS);
    const width = bucketHours(minHour, Math.floor(this.max / HOUR_MS), maxPoints);
    const buckets = new Map<number, TrendPoint>();
    for (const [h, c] of this.byHour) {
      const b = Math.floor((h - minHour) / width);
      let p = buckets.get(b);
      if (!p) {
        const startMs = (minHour + b * width) * HOUR_MS;
        buckets.set(b, (p = { startMs, endMs: startMs + width * HOUR_MS, predictions: 0, anomalies: 0 }));
      }
      p.predictions += c.predictions;
      p.anomalies += c.anomalies;
    }
    return { bucketMs: width * HOUR_MS, points: [...buckets.values()].sort((a, b) => a.startMs - b.startMs) };
  }
}

function latencyTrend(req: RequestColumns, maxPoints: number): { bucketMs: number; points: LatencyTrendPoint[] } {
  const n = req.length;
  if (n === 0) return { bucketMs: HOUR_MS, points: [] };
  let minHour = Number.POSITIVE_INFINITY;
  let maxHour = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const h = Math.floor(req.time[i]! / HOUR_MS);
    if (h < minHour) minHour = h;
    if (h > maxHour) maxHour = h;
  }
  const width = bucketHours(minHour, maxHour, maxPoints);
  const buckets = Math.floor((maxHour - minHour) / width) + 1;
  const groups = groupBy(req, buckets, (i) => Math.floor((Math.floor(req.time[i]! / HOUR_MS) - minHour) / width));
  const points: LatencyTrendPoint[] = [];
  groups.forEach((g, b) => {
    if (g.members.length === 0) return;
    const stats = statsInPlace(g.latencies)!;
    const startMs = (minHour + b * width) * HOUR_MS;
    points.push({
      startMs,
      endMs: startMs + width * HOUR_MS,
      requests: g.members.length,
      predictions: g.rows,
      latencyMeanMs: stats.meanMs,
      latencyP95Ms: stats.p95Ms,
    });
  });
  return { bucketMs: width * HOUR_MS, points };
}

function allMembers(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Online request latencies and batch per-reading latencies of `members`, with counts (readings as included in the read). */
function splitKinds(
  req: RequestColumns,
  members: Uint32Array,
): { onlineLatency: Float64Array; readingLatency: Float64Array; online: RequestKindCount; batch: RequestKindCount } {
  let nOnline = 0;
  for (const i of members) if (req.requestRows[i]! <= ONLINE_MAX_ROWS) nOnline++;
  const onlineLatency = new Float64Array(nOnline);
  const readingLatency = new Float64Array(members.length - nOnline);
  const online = { requests: 0, readings: 0 };
  const batch = { requests: 0, readings: 0 };
  for (const i of members) {
    const whole = req.requestRows[i]!;
    if (whole <= ONLINE_MAX_ROWS) {
      onlineLatency[online.requests++] = req.latencyMs[i]!;
      online.readings += req.rows[i]!;
    } else {
      readingLatency[batch.requests++] = req.latencyMs[i]! / whole;
      batch.readings += req.rows[i]!;
    }
  }
  return { onlineLatency, readingLatency, online, batch };
}

interface Group {
  members: Uint32Array;
  latencies: Float64Array;
  rows: number;
  anomalies: number;
}

/** Counting sort of requests into `k` groups: O(n), no per-request objects. */
function groupBy(req: RequestColumns, k: number, keyOf: (i: number) => number): Group[] {
  const n = req.length;
  const keys = new Uint32Array(n);
  const counts = new Uint32Array(k + 1);
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    keys[i] = key;
    counts[key + 1]!++;
  }
  for (let g = 0; g < k; g++) counts[g + 1]! += counts[g]!;
  const order = new Uint32Array(n);
  const lat = new Float64Array(n);
  const next = counts.slice(0, k);
  for (let i = 0; i < n; i++) {
    const slot = next[keys[i]!]!++;
    order[slot] = i;
    lat[slot] = req.latencyMs[i]!;
  }
  const groups: Group[] = [];
  for (let g = 0; g < k; g++) {
    const members = order.subarray(counts[g]!, counts[g + 1]!);
    let rows = 0;
    let anomalies = 0;
    for (const i of members) {
      rows += req.rows[i]!;
      anomalies += req.anomalies[i]!;
    }
    groups.push({ members, latencies: lat.subarray(counts[g]!, counts[g + 1]!), rows, anomalies });
  }
  return groups;
}

function statsInPlace(work: Float64Array): LatencyStats | null {
  const n = work.length;
  if (n === 0) return null;
  let total = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    total += work[i]!;
    if (work[i]! > max) max = work[i]!;
  }
  const [p50, p95, p99] = nearestRankInPlace(work, [50, 95, 99]);
  return { requests: n, meanMs: total / n, p50Ms: p50!, p95Ms: p95!, p99Ms: p99!, maxMs: max };
}

class Confusion {
  tp = 0;
  fp = 0;
  fn = 0;
  tn = 0;

  add(flags: ArrayLike<number>, labels: ArrayLike<number>): void {
    const n = Math.min(flags.length, labels.length);
    for (let i = 0; i < n; i++) {
      const l = labels[i]!;
      if (l < 0) continue;
      const f = flags[i]! ? 1 : 0;
      if (l > 0) {
        if (f) this.tp++;
        else this.fn++;
      } else if (f) this.fp++;
      else this.tn++;
    }
  }

  result(): ClassificationMetrics | null {
    const labelled = this.tp + this.fp + this.fn + this.tn;
    if (labelled === 0) return null;
    const precision = this.tp + this.fp > 0 ? this.tp / (this.tp + this.fp) : null;
    const recall = this.tp + this.fn > 0 ? this.tp / (this.tp + this.fn) : null;
    const f1 =
      precision !== null && recall !== null ? (precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0) : null;
    return {
      labelled,
      truePositives: this.tp,
      falsePositives: this.fp,
      falseNegatives: this.fn,
      trueNegatives: this.tn,
      precision,
      recall,
      f1,
    };
  }
}

/** A copy as Float64Array; a plain loop because `Float64Array.from` goes through the iterator protocol (slow at 10M). */
function toFloat64(a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  return out;
}
