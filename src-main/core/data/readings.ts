import { parseNumberText, parseTimestampText } from './csv-cells';

/**
 * Readings pushed by meters and gateways (MQTT payloads, HTTP bodies): one
 * JSON object or an array of them, with the model's feature fields and an
 * optional `timestamp` (ISO 8601, or epoch seconds/milliseconds) and
 * `building_id`. A bad reading is reported with why, never thrown, so one
 * broken meter cannot stop a stream.
 */
export interface Reading {
  /** Epoch ms: the payload's timestamp, else the time it was received. */
  time: number;
  buildingId: string | null;
  /** One value per model feature, in the model's order. */
  values: Float64Array;
}

export interface ParsedReadings {
  readings: Reading[];
  /** One line per rejected reading (or one for a payload that is not JSON at all). */
  errors: string[];
  /** True when the payload was a JSON array (results are sent back the same way). */
  array: boolean;
}

export interface ReadingOptions {
  /** Used when a reading has no timestamp. */
  receivedAt: number;
  /** Building id taken from the topic level (overrides the payload's `building_id`). */
  buildingId?: string | null;
  /** A model that reads sequences (the contextual detector) needs the data's own time, not the arrival time. */
  requireTimestamp?: boolean;
  /** A model that baselines each building needs to know whose reading it is. */
  requireBuildingId?: boolean;
}

/** Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
const MAX_REPORTED = 5;

/** The building id at topic level `level` (0-based): `site/B01/readings`, 1 → `B01`; null when the topic is shorter. */
export function topicLevel(topic: string, level: number): string | null {
  const part = topic.split('/')[level];
  return part === undefined || part === '' ? null : part;
}

/** An epoch or ISO 8601 timestamp as epoch ms; NaN when it is neither. */
export function readingTime(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? (Math.abs(v) < SECONDS_BELOW ? v * 1000 : v) : NaN;
  if (typeof v === 'string') {
    const t = parseTimestampText(v.trim()).ms;
    if (t === t) return t;
    const n = v.trim() === '' ? NaN : Number(v);
    return Number.isFinite(n) ? readingTime(n) : NaN;
  }
  return NaN;
}

export function parseReadings(payload: string | Uint8Array, features: readonly string[], opts: ReadingOptions): ParsedReadings {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { readings: [], errors: [`not JSON (${(error as Error).message})`], array: false };
  }
  return readingsFrom(body, features, opts);
}

/** Readings from an already parsed JSON body (the HTTP route parses once). */
export function readingsFrom(body: unknown, features: readonly string[], opts: ReadingOptions): ParsedReadings {
  const array = Array.isArray(body);
  const items: unknown[] = array ? body : [body];
  const readings: Reading[] = [];
  const errors: string[] = [];
  if (array && items.length === 0) errors.push('empty array: no readings');
  for (let i = 0; i < items.length; i++) {
    const r = readingOf(items[i], features, opts);
    if (typeof r === 'string') errors.push(array ? `reading ${i}: ${r}` : r);
    else readings.push(r);
  }
  return { readings, errors, array };
}

function readingOf(item: unknown, features: readonly string[], opts: ReadingOptions): Reading | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'expected a JSON object with the feature fields';
  const o = item as Record<string, unknown>;
  const values = new Float64Array(features.length);
  const missing: string[] = [];
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const v = o[f];
    const n = typeof v === 'number' ? v : typeof v === 'string' ? parseNumberText(v) : NaN;
    if (!Number.isFinite(n)) {
      if (missing.length < MAX_REPORTED)
        missing.push(v === undefined || v === null ? `"${f}" is missing` : `"${f}" is not a number (${JSON.stringify(v).slice(0, 40)})`);
      continue;
    }
    values[j] = n;
  }
  if (missing.length) return missing.join(', ');
  let time = opts.receivedAt;
  if ((o.timestamp === undefined || o.timestamp === null) && opts.requireTimestamp)
    return '"timestamp" is missing (the contextual model reads readings in time order)';
  if (o.timestamp !== undefined && o.timestamp !== null) {
    time = readingTime(o.timestamp);
    if (Number.isNaN(time)) return `"timestamp" is neither ISO 8601 nor epoch seconds/ms (${JSON.stringify(o.timestamp).slice(0, 40)})`;
  }
  let buildingId = opts.buildingId ?? null;
  if (buildingId === null && o.building_id !== undefined && o.building_id !== null) {
    if (typeof o.building_id !== 'string' && typeof o.building_id !== 'number') return '"building_id" must be a string or a number';
    buildingId = String(o.building_id);
  }
  if (buildingId === null && opts.requireBuildingId) return '"building_id" is missing (the contextual model baselines each building)';
  return { time, buildingId, values };
}
