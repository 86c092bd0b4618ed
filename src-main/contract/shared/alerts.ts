/**
 * Alert rules, alerts and feedback on flags (ARCHITECTURE §6a): the shapes the
 * UI, the CLI and the backend share. Zod-free; the schemas are in ops/alerts.ts.
 */

/**
 * What a rule watches. Each yields one value per subject; a rule fires when
 * the value is at or above its threshold.
 * - health: 0 healthy, 1 warning, 2 critical (subject: the model)
 * - drift-score: the health check's drift score of the current version
 * - feature-drift: PSI per feature (subject: each feature, or `feature` only)
 * - anomaly-rate: share of flagged readings in the hot window (subject: the model)
 * - building-anomaly-rate: share flagged per building in the latest scoring request (subject: each building, or `building` only)
 * - latency-p95: p95 latency of online requests, ms
 * - reading-latency-p95: p95 batch latency per reading, ms
 * - job-failures: failed jobs in jobs.ndjson ended within `windowMs` (subject: the registry)
 */
export const ALERT_KINDS = [
  'health',
  'drift-score',
  'feature-drift',
  'anomaly-rate',
  'building-anomaly-rate',
  'latency-p95',
  'reading-latency-p95',
  'job-failures',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Health rule thresholds: the status level at or above which it fires. */
export const HEALTH_LEVEL = { healthy: 0, warning: 1, critical: 2 } as const;

export interface AlertRule {
  /** Stable name, unique in the file: alerts and history refer to it. */
  id: string;
  kind: AlertKind;
  enabled: boolean;
  severity: AlertSeverity;
  /** Fires when the observed value is ≥ threshold. */
  threshold: number;
  /** The condition must hold this long (ms, observed at two evaluations at least that far apart) before an alert opens; 0 = at once. */
  minDurationMs: number;
  /** No two notifications of the same rule and subject within this many ms (repeats while open, and re-opening after a resolve). */
  cooldownMs: number;
  /** Only this model; omitted = every model. */
  model?: string;
  /** feature-drift: only this feature. */
  feature?: string;
  /** building-anomaly-rate: only this building. */
  building?: string;
  /** job-failures: how far back failures count (ms). */
  windowMs?: number;
}

export type AlertHook =
  { type: 'command'; command: string; args: string[] } | { type: 'folder'; dir: string } | { type: 'http'; url: string };

export interface AlertRulesFile {
  formatVersion: 1;
  rules: AlertRule[];
}

/**
 * alerts/hooks.json: outbound hooks run for every notification (open and repeat).
 * Per machine: never taken from an imported archive (a registry from elsewhere must
 * not run commands here), and no UI operation writes it.
 */
export interface AlertHooksFile {
  formatVersion: 1;
  hooks: AlertHook[];
}

export type AlertStatus = 'open' | 'resolved';

/** One line of alerts/events.ndjson. */
export type AlertHistoryEvent =
  | {
      type: 'open';
      id: string;
      time: string;
      rule: string;
      kind: AlertKind;
      severity: AlertSeverity;
      model: string | null;
      subject: string;
      value: number;
      threshold: number;
      message: string;
    }
  | { type: 'repeat'; id: string; time: string; value: number }
  | { type: 'resolve'; id: string; time: string; value: number | null; reason: string }
  | { type: 'ack'; id: string; time: string; note: string; user: string };

/** An alert as lists show it: the history folded by id. */
export interface AlertView {
  id: string;
  rule: string;
  kind: AlertKind;
  severity: AlertSeverity;
  model: string | null;
  subject: string;
  status: AlertStatus;
  openedAt: string;
  resolvedAt: string | null;
  /** Value when opened, and the latest seen (repeat or resolve). */
  value: number;
  lastValue: number | null;
  threshold: number;
  message: string;
  /** Notifications sent after the first (cool-down elapsed while still firing). */
  repeats: number;
  ack: { time: string; note: string; user: string } | null;
}

export interface AlertList {
  alerts: AlertView[];
  open: number;
  /** Open and not acknowledged: the badge count. */
  unacknowledged: number;
  /** Torn last line of the history, skipped. */
  tornLines: number;
}

/** What one evaluation did. */
export interface AlertCheckResult {
  opened: AlertView[];
  repeated: AlertView[];
  resolved: string[];
  /** Rules evaluated × subjects observed. */
  observations: number;
  /** Hooks that failed (logged, never fatal). */
  hookFailures: { hook: string; error: string }[];
  elapsedMs: number;
}

export const FAULT_TYPES = ['hvac_fault', 'sensor_stuck', 'dropout', 'spike', 'after_hours', 'degradation', 'other'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export const FEEDBACK_VERDICTS = ['fault', 'false_alarm'] as const;
export type FeedbackVerdict = (typeof FEEDBACK_VERDICTS)[number];

/** Identity of a logged reading: what the prediction log and the scored data both know. */
export interface ReadingKey {
  model: string;
  version: string;
  /** Building (id column value); null when the data has no id column. */
  building: string | null;
  /** The reading's own timestamp, epoch ms. */
  dataTime: number;
}

/** One line of feedback.ndjson; a later line for the same reading replaces an earlier one. */
export interface FeedbackRecord extends ReadingKey {
  verdict: FeedbackVerdict;
  /** Only for verdict 'fault'. */
  faultType: FaultType | null;
  note: string;
  user: string;
  time: string;
}

export interface FeedbackSummary {
  /** Readings with feedback (latest verdict each). */
  reviewed: number;
  confirmed: number;
  falseAlarms: number;
  /** confirmed / reviewed; null when none reviewed. Feedback is given on flags, so this is the flags' precision. */
  precision: number | null;
  byFaultType: Partial<Record<FaultType, number>>;
}
