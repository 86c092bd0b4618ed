import type { AlertHistoryEvent, AlertRule } from '../../contract/shared/alerts';

/**
 * The alert state machine (ARCHITECTURE §6a), pure: given what one evaluation
 * observed, which alerts open, repeat, or resolve. Per rule, model and subject:
 *
 * - a breach (value ≥ threshold) starts a pending period; the alert opens once
 *   the breach has been seen continuously for `minDurationMs` (0 = at once);
 * - while open, further breaches notify again only after `cooldownMs` since the
 *   last notification (a `repeat`); a re-open after a resolve also waits for the
 *   cool-down, so a flapping condition cannot flood anyone;
 * - a value below the threshold clears the pending period and resolves an open
 *   alert by itself; so does a subject the evaluation covered but no longer saw
 *   (a building that left the data), and a rule that was disabled or removed.
 */

export interface SubjectState {
  rule: string;
  model: string | null;
  subject: string;
  /** When the current breach was first seen (ms); null when not breaching. */
  since: number | null;
  /** The open alert's id, or null. */
  alertId: string | null;
  /** Last notification (open or repeat) of this rule and subject, ms. */
  lastNotifiedAt: number | null;
}

export interface AlertState {
  nextId: number;
  subjects: Record<string, SubjectState>;
}

export const EMPTY_ALERT_STATE: AlertState = { nextId: 1, subjects: {} };

export interface Observation {
  rule: AlertRule;
  model: string | null;
  subject: string;
  value: number;
  /** Says what was measured, for the alert's message ("drift score 0.31 of m 1.0.0"). */
  what: string;
}

/** A rule evaluated for a model: subjects of it not observed this time are gone. */
export interface Coverage {
  rule: string;
  model: string | null;
}

export interface StepResult {
  state: AlertState;
  events: AlertHistoryEvent[];
}

export function subjectKey(rule: string, model: string | null, subject: string): string {
  return `${rule}|${model ?? ''}|${subject}`;
}

export function step(
  previous: AlertState,
  rules: readonly AlertRule[],
  observations: readonly Observation[],
  covered: readonly Coverage[],
  now: number,
): StepResult {
  const state: AlertState = { nextId: previous.nextId, subjects: { ...previous.subjects } };
  const events: AlertHistoryEvent[] = [];
  const time = new Date(now).toISOString();
  const live = new Map(rules.filter((r) => r.enabled).map((r) => [r.id, r]));
  const seen = new Set<string>();

  const resolve = (key: string, s: SubjectState, value: number | null, reason: string): void => {
    if (s.alertId !== null) events.push({ type: 'resolve', id: s.alertId, time, value, reason });
    state.subjects[key] = { ...s, since: null, alertId: null };
  };

  for (const o of observations) {
    const key = subjectKey(o.rule.id, o.model, o.subject);
    seen.add(key);
    const s: SubjectState = state.subjects[key] ?? {
      rule: o.rule.id,
      model: o.model,
      subject: o.subject,
      since: null,
      alertId: null,
      lastNotifiedAt: null,
    };
    if (!Number.isFinite(o.value)) continue;
    if (o.value < o.rule.threshold) {
      resolve(key, s, o.value, `${o.what} is ${fmt(o.value)}, below ${fmt(o.rule.threshold)}`);
      continue;
    }
    const since = s.since ?? now;
    const coolingDown = s.lastNotifiedAt !== null && now - s.lastNotifiedAt < o.rule.cooldownMs;
    if (s.alertId === null) {
      if (now - since >= o.rule.minDurationMs && !coolingDown) {
        const id = `A${state.nextId++}`;
        events.push({
          type: 'open',
          id,
          time,
          rule: o.rule.id,
          kind: o.rule.kind,
          severity: o.rule.severity,
          model: o.model,
          subject: o.subject,
          value: o.value,
          threshold: o.rule.threshold,
          message: `${o.what} is ${fmt(o.value)}, at or above ${fmt(o.rule.threshold)} (rule ${o.rule.id})`,
        });
        state.subjects[key] = { ...s, since, alertId: id, lastNotifiedAt: now };
      } else {
        state.subjects[key] = { ...s, since };
      }
    } else if (!coolingDown) {
      events.push({ type: 'repeat', id: s.alertId, time, value: o.value });
      state.subjects[key] = { ...s, since, lastNotifiedAt: now };
    } else {
      state.subjects[key] = { ...s, since };
    }
  }

  const isCovered = (s: SubjectState): boolean => covered.some((c) => c.rule === s.rule && c.model === s.model);
  for (const [key, s] of Object.entries(state.subjects)) {
    if (seen.has(key)) continue;
    if (!live.has(s.rule)) {
      resolve(key, s, null, `rule ${s.rule} was disabled or removed`);
      delete state.subjects[key];
    } else if (isCovered(s)) {
      resolve(key, s, null, `${s.subject} was not observed any more`);
      // Keep the cool-down memory; drop subjects with nothing left to remember.
      if (s.lastNotifiedAt === null) delete state.subjects[key];
    }
  }
  return { state, events };
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}
