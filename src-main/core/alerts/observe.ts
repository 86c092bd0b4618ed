import { HEALTH_LEVEL, type AlertRule } from '../../contract/shared/alerts';
import type { HealthStatus } from '../../contract/shared/monitoring';
import type { Coverage, Observation } from './lifecycle';
import { DAY_MS, HOUR_MS } from '../../contract/shared/time';

/** What one evaluation knows about a model (from its health check and the latest scoring request). */
export interface ModelSnapshot {
  model: string;
  version: string | null;
  status: HealthStatus | 'no-model';
  driftScore: number | null;
  /** PSI per feature of the current drift window; null when too few readings are logged. */
  features: { name: string; psi: number }[] | null;
  anomalyRate: number | null;
  latencyP95: number | null;
  readingLatencyP95: number | null;
  /** Rows and flags per building of the latest scoring request; null when unknown. */
  buildings: Record<string, { rows: number; anomalies: number }> | null;
}

export interface Snapshot {
  models: ModelSnapshot[];
  /** End times (ms) of failed jobs; null when there is no job history. */
  jobFailures: number[] | null;
  now: number;
}

export const DEFAULT_JOB_WINDOW_MS = DAY_MS;

/** Observations of every enabled rule, and which (rule, model) pairs this evaluation covered. */
export function observe(rules: readonly AlertRule[], snap: Snapshot): { observations: Observation[]; covered: Coverage[] } {
  const observations: Observation[] = [];
  const covered: Coverage[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (rule.kind === 'job-failures') {
      if (snap.jobFailures === null) continue;
      const since = snap.now - (rule.windowMs ?? DEFAULT_JOB_WINDOW_MS);
      const n = snap.jobFailures.filter((t) => t >= since).length;
      covered.push({ rule: rule.id, model: null });
      observations.push({ rule, model: null, subject: 'jobs', value: n, what: `Failed jobs in the last ${hours(rule.windowMs)}` });
      continue;
    }
    for (const m of snap.models) {
      if (rule.model !== undefined && rule.model !== m.model) continue;
      if (m.version === null) continue;
      const of = `of ${m.model} ${m.version}`;
      const add = (subject: string, value: number | null, what: string): void => {
        if (value !== null) observations.push({ rule, model: m.model, subject, value, what });
      };
      switch (rule.kind) {
        case 'health':
          if (m.status === 'no-model') break;
          covered.push({ rule: rule.id, model: m.model });
          add(m.model, HEALTH_LEVEL[m.status], `Health ${of} (${m.status}; 1 = warning, 2 = critical)`);
          break;
        case 'drift-score':
          if (m.driftScore === null) break;
          covered.push({ rule: rule.id, model: m.model });
          add(m.model, m.driftScore, `Drift score ${of}`);
          break;
        case 'feature-drift':
          if (m.features === null) break;
          covered.push({ rule: rule.id, model: m.model });
          for (const f of m.features)
            if (rule.feature === undefined || rule.feature === f.name) add(f.name, f.psi, `PSI of ${f.name} ${of}`);
          break;
        case 'anomaly-rate':
          if (m.anomalyRate === null) break;
          covered.push({ rule: rule.id, model: m.model });
          add(m.model, m.anomalyRate, `Anomaly rate ${of}`);
          break;
        case 'building-anomaly-rate':
          if (m.buildings === null) break;
          covered.push({ rule: rule.id, model: m.model });
          for (const [b, c] of Object.entries(m.buildings)) {
            if (rule.building !== undefined && rule.building !== b) continue;
            if (c.rows > 0) add(b, c.anomalies / c.rows, `Anomaly rate of building ${b} (${m.model} ${m.version}, latest request)`);
          }
          break;
        case 'latency-p95':
          if (m.latencyP95 === null) break;
          covered.push({ rule: rule.id, model: m.model });
          add(m.model, m.latencyP95, `p95 online request latency (ms) ${of}`);
          break;
        case 'reading-latency-p95':
          if (m.readingLatencyP95 === null) break;
          covered.push({ rule: rule.id, model: m.model });
          add(m.model, m.readingLatencyP95, `p95 batch latency per reading (ms) ${of}`);
          break;
      }
    }
  }
  return { observations, covered };
}

function hours(windowMs: number | undefined): string {
  const h = (windowMs ?? DEFAULT_JOB_WINDOW_MS) / HOUR_MS;
  return h === 1 ? 'hour' : `${Number.isInteger(h) ? h : h.toFixed(1)} hours`;
}
