import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { GreenLensError } from '../../contract';
import { AlertHooksFileSchema, AlertRulesFileSchema } from '../../contract/ops/alerts';
import type { AlertHistoryEvent, AlertHooksFile, AlertRule, AlertRulesFile } from '../../contract/shared/alerts';
import type { Thresholds } from '../../contract/settings';
import { EMPTY_ALERT_STATE, type AlertState } from '../../core/alerts/lifecycle';
import { appendLines, readNdjson, writeFileAtomic } from '../../core/registry';
import { DAY_MS, HOUR_MS } from '../../contract/shared/time';

/**
 * The alert files of a registry (ARCHITECTURE §4, §6a), all under `alerts/`:
 * rules.json (atomic), events.ndjson (append-only history), state.json (the
 * state machine's memory, atomic) and hooks.json (per machine, never imported).
 */
export const ALERTS_DIR = 'alerts';
export const alertsPath = (root: string, file: 'rules.json' | 'events.ndjson' | 'state.json' | 'hooks.json'): string =>
  join(root, ALERTS_DIR, file);

/** A fresh registry's rules: the health thresholds of the settings, so Overview and alerts agree out of the box. */
export function defaultRules(t: Thresholds): AlertRule[] {
  const base = { enabled: true, minDurationMs: 0, cooldownMs: HOUR_MS } as const;
  return [
    { ...base, id: 'health-critical', kind: 'health', severity: 'critical', threshold: 2 },
    { ...base, id: 'drift-score', kind: 'drift-score', severity: 'warning', threshold: 0.25 },
    { ...base, id: 'feature-drift', kind: 'feature-drift', severity: 'warning', threshold: 0.25 },
    { ...base, id: 'anomaly-rate', kind: 'anomaly-rate', severity: 'warning', threshold: t.anomalyRate },
    { ...base, id: 'building-anomaly-rate', kind: 'building-anomaly-rate', severity: 'warning', threshold: 2 * t.anomalyRate },
    { ...base, id: 'latency-p95', kind: 'latency-p95', severity: 'warning', threshold: t.latencyP95Ms, minDurationMs: 5 * 60_000 },
    { ...base, id: 'reading-latency-p95', kind: 'reading-latency-p95', severity: 'warning', threshold: t.readingLatencyP95Ms },
    { ...base, id: 'job-failures', kind: 'job-failures', severity: 'warning', threshold: 1, windowMs: DAY_MS },
  ];
}

async function readJson(file: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GreenLensError('io', `Could not read ${file}: ${(e as Error).message}.`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GreenLensError('corrupt', `${file} is not valid JSON: ${(e as Error).message}.`, { file });
  }
}

function parsed<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(file)';
  throw new GreenLensError('corrupt', `${file}: field "${field}": ${issue.message}.`, { file, field });
}

export async function readRules(root: string, t: Thresholds): Promise<AlertRulesFile> {
  const file = alertsPath(root, 'rules.json');
  const raw = await readJson(file);
  if (raw === undefined) return { formatVersion: 1, rules: defaultRules(t) };
  return parsed(AlertRulesFileSchema, raw, file) as AlertRulesFile;
}

export async function writeRules(root: string, rules: AlertRulesFile): Promise<void> {
  await mkdir(join(root, ALERTS_DIR), { recursive: true });
  await writeFileAtomic(alertsPath(root, 'rules.json'), `${JSON.stringify(rules, null, 2)}\n`);
}

export async function readHooks(root: string): Promise<AlertHooksFile> {
  const file = alertsPath(root, 'hooks.json');
  const raw = await readJson(file);
  if (raw === undefined) return { formatVersion: 1, hooks: [] };
  return parsed(AlertHooksFileSchema, raw, file) as AlertHooksFile;
}

/** The state machine's memory plus the latest request's per-building counts (the log keeps no building). */
export interface StoredAlertState extends AlertState {
  buildings: Record<string, Record<string, { rows: number; anomalies: number }>>;
}

/** A missing or damaged state starts afresh: the worst case is one pending period restarting. */
export async function readState(root: string): Promise<{ state: StoredAlertState; damaged: boolean }> {
  const file = alertsPath(root, 'state.json');
  const fresh = (): StoredAlertState => ({ ...EMPTY_ALERT_STATE, subjects: {}, buildings: {} });
  let raw: unknown;
  try {
    raw = await readJson(file);
  } catch {
    return { state: fresh(), damaged: true };
  }
  if (raw === undefined) return { state: fresh(), damaged: false };
  const s = raw as Partial<StoredAlertState>;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    Number.isInteger(s.nextId) &&
    typeof s.subjects === 'object' &&
    s.subjects !== null &&
    typeof s.buildings === 'object' &&
    s.buildings !== null;
  return ok ? { state: s as StoredAlertState, damaged: false } : { state: fresh(), damaged: true };
}

export async function writeState(root: string, state: StoredAlertState): Promise<void> {
  await mkdir(join(root, ALERTS_DIR), { recursive: true });
  await writeFileAtomic(alertsPath(root, 'state.json'), JSON.stringify(state));
}

export async function appendAlertEvents(root: string, events: readonly AlertHistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  await mkdir(join(root, ALERTS_DIR), { recursive: true });
  // appendLines cuts a torn tail before writing, so the history stays readable.
  await appendLines(
    alertsPath(root, 'events.ndjson'),
    events.map((e) => JSON.stringify(e)),
  );
}

const EVENT_TYPES = new Set(['open', 'repeat', 'resolve', 'ack']);

export interface AlertHistory {
  events: AlertHistoryEvent[];
  tornLines: number;
  badLines: { line: number; text: string }[];
}

export async function readAlertEvents(root: string): Promise<AlertHistory> {
  const read = await readNdjson(alertsPath(root, 'events.ndjson'));
  const out: AlertHistory = { events: [], tornLines: read.tornLines, badLines: [...read.badLines] };
  read.records.forEach((r, i) => {
    const e = r as { type?: unknown; id?: unknown; time?: unknown };
    if (typeof e === 'object' && e !== null && EVENT_TYPES.has(String(e.type)) && typeof e.id === 'string' && typeof e.time === 'string') {
      out.events.push(r as AlertHistoryEvent);
    } else out.badLines.push({ line: read.recordLines[i] ?? 0, text: JSON.stringify(r).slice(0, 80) });
  });
  return out;
}
