import { join } from 'node:path';
import type { ReportAlert } from '../../contract/shared/report';
import { exists, readNdjson } from '../../core/registry/atomic';

/** Where the alerts branch keeps alert history (append-only ndjson, owned by the alert rules). */
export const ALERT_EVENTS_FILE = join('alerts', 'events.ndjson');

function text(o: Record<string, unknown>, ...keys: string[]): string {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v.length > 0) return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return '';
}

function timeOf(o: Record<string, unknown>): number {
  for (const k of ['time', 'at', 'openedAt', 'firedAt', 'createdAt']) {
    const v = o[k];
    const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (Number.isFinite(ms)) return ms;
  }
  return Number.NaN;
}

/**
 * The alerts of [fromMs, toMs) for one model, read leniently: the alert log is
 * another part's format, so a line is kept when it has a time, and fields are
 * taken by their likely names; a torn or damaged line is skipped. Null when the
 * registry has no alert log.
 */
export async function alertsOfPeriod(
  registryDir: string,
  model: string,
  fromMs: number | null,
  toMs: number | null,
): Promise<ReportAlert[] | null> {
  const file = join(registryDir, ALERT_EVENTS_FILE);
  if (!(await exists(file))) return null;
  const { records } = await readNdjson(file);
  const out: Array<ReportAlert & { ms: number }> = [];
  for (const r of records) {
    if (typeof r !== 'object' || r === null) continue;
    const o = r as Record<string, unknown>;
    const ms = timeOf(o);
    if (!Number.isFinite(ms) || (fromMs !== null && ms < fromMs) || (toMs !== null && ms >= toMs)) continue;
    const m = text(o, 'model');
    if (m && m !== model) continue;
    out.push({
      ms,
      time: new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      level: text(o, 'level', 'severity'),
      rule: text(o, 'rule', 'ruleName', 'ruleId', 'kind'),
      message: text(o, 'message', 'title', 'text', 'summary'),
      status: text(o, 'status', 'state', 'type', 'event'),
    });
  }
  return out.sort((a, b) => a.ms - b.ms).map(({ ms: _ms, ...a }) => a);
}
