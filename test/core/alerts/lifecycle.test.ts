import { describe, expect, it } from 'vitest';
import type { AlertHistoryEvent, AlertRule } from '../../../src-main/contract/shared/alerts';
import { foldAlerts } from '../../../src-main/core/alerts/history';
import { EMPTY_ALERT_STATE, step, type AlertState, type Coverage } from '../../../src-main/core/alerts/lifecycle';
import { observe, type ModelSnapshot } from '../../../src-main/core/alerts/observe';

const MIN = 60_000;
const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'rate',
  kind: 'anomaly-rate',
  enabled: true,
  severity: 'warning',
  threshold: 0.1,
  minDurationMs: 0,
  cooldownMs: 60 * MIN,
  ...over,
});

/** Runs a sequence of (minute, value) observations of one rule and subject; returns every event with its minute. */
function run(r: AlertRule, series: [minute: number, value: number | null][]) {
  let state: AlertState = EMPTY_ALERT_STATE;
  const all: (AlertHistoryEvent & { minute: number })[] = [];
  const covered: Coverage[] = [{ rule: r.id, model: 'm' }];
  for (const [minute, value] of series) {
    const obs = value === null ? [] : [{ rule: r, model: 'm', subject: 'm', value, what: 'Anomaly rate of m' }];
    const out = step(state, [r], obs, value === null ? [] : covered, minute * MIN);
    state = out.state;
    all.push(...out.events.map((e) => ({ ...e, minute })));
  }
  return { events: all.map((e) => `${e.minute}:${e.type}:${e.id}`), state, raw: all };
}

describe('alert lifecycle (known answers)', () => {
  it('opens at once without a minimum duration, stays open silently, resolves by itself when the value drops', () => {
    const { events, raw } = run(rule({ cooldownMs: 60 * MIN }), [
      [0, 0.05],
      [1, 0.2],
      [2, 0.3],
      [3, 0.25],
      [4, 0.04],
    ]);
    expect(events).toEqual(['1:open:A1', '4:resolve:A1']);
    expect(raw[0]).toMatchObject({ value: 0.2, threshold: 0.1, message: 'Anomaly rate of m is 0.200, at or above 0.100 (rule rate)' });
    expect(raw[1]).toMatchObject({ value: 0.04, reason: 'Anomaly rate of m is 0.0400, below 0.100' });
  });

  it('the threshold itself fires (value ≥ threshold)', () => {
    expect(run(rule(), [[0, 0.1]]).events).toEqual(['0:open:A1']);
  });

  it('minimum duration: opens only once the breach has lasted that long; a dip restarts the wait', () => {
    const { events } = run(rule({ minDurationMs: 10 * MIN }), [
      [0, 0.2],
      [5, 0.2],
      [9, 0.05], // dip: the pending period starts over
      [10, 0.2],
      [19, 0.2],
      [20, 0.2],
      [21, 0.2],
    ]);
    expect(events).toEqual(['20:open:A1']);
  });

  it('cool-down: while open, a repeat notification only once the cool-down has passed since the last one', () => {
    const { events } = run(rule({ cooldownMs: 30 * MIN }), [
      [0, 0.2],
      [10, 0.2],
      [29, 0.2],
      [30, 0.2],
      [45, 0.2],
      [60, 0.2],
    ]);
    expect(events).toEqual(['0:open:A1', '30:repeat:A1', '60:repeat:A1']);
  });

  it('cool-down also holds back a re-open after a resolve (no flapping), then opens a new alert', () => {
    const { events } = run(rule({ cooldownMs: 30 * MIN }), [
      [0, 0.2],
      [5, 0.0],
      [10, 0.2], // breaching again within the cool-down of the last notification: held back
      [29, 0.2],
      [30, 0.2],
    ]);
    expect(events).toEqual(['0:open:A1', '5:resolve:A1', '30:open:A2']);
  });

  it('no observation (nothing logged yet) changes nothing: neither opens nor resolves', () => {
    const { events } = run(rule(), [
      [0, 0.2],
      [1, null],
      [2, null],
      [3, 0.0],
    ]);
    expect(events).toEqual(['0:open:A1', '3:resolve:A1']);
  });

  it('a disabled or removed rule resolves its open alerts', () => {
    const r = rule();
    const first = step(EMPTY_ALERT_STATE, [r], [{ rule: r, model: 'm', subject: 'm', value: 0.5, what: 'x' }], [], 0);
    const off = step(first.state, [{ ...r, enabled: false }], [], [], MIN);
    expect(off.events).toEqual([
      { type: 'resolve', id: 'A1', time: new Date(MIN).toISOString(), value: null, reason: 'rule rate was disabled or removed' },
    ]);
    expect(off.state.subjects).toEqual({});
  });

  it('a subject the evaluation covered but no longer saw (a building gone from the data) resolves', () => {
    const r = rule({ id: 'b', kind: 'building-anomaly-rate', threshold: 0.2, cooldownMs: 60 * MIN });
    const o = (subject: string, value: number) => ({ rule: r, model: 'm', subject, value, what: `rate of ${subject}` });
    const a = step(EMPTY_ALERT_STATE, [r], [o('b1', 0.5), o('b2', 0.3)], [{ rule: 'b', model: 'm' }], 0);
    expect(a.events.map((e) => [e.type, e.id, e.type === 'open' ? e.subject : ''])).toEqual([
      ['open', 'A1', 'b1'],
      ['open', 'A2', 'b2'],
    ]);
    const b = step(a.state, [r], [o('b1', 0.5)], [{ rule: 'b', model: 'm' }], MIN);
    expect(b.events.map((e) => `${e.type}:${e.id}`)).toEqual(['resolve:A2']);
    // Another model's evaluation does not cover model m: nothing resolves.
    const c = step(b.state, [r], [], [{ rule: 'b', model: 'other' }], 2 * MIN);
    expect(c.events).toEqual([]);
  });
});

describe('alert history folding', () => {
  it('open, repeat, ack and resolve fold into one view; counts say what the badge shows', () => {
    const t = (m: number) => new Date(m * MIN).toISOString();
    const events: AlertHistoryEvent[] = [
      {
        type: 'open',
        id: 'A1',
        time: t(0),
        rule: 'r',
        kind: 'health',
        severity: 'critical',
        model: 'm',
        subject: 'm',
        value: 2,
        threshold: 2,
        message: 'x',
      },
      {
        type: 'open',
        id: 'A2',
        time: t(1),
        rule: 'd',
        kind: 'drift-score',
        severity: 'warning',
        model: 'm',
        subject: 'm',
        value: 0.3,
        threshold: 0.25,
        message: 'y',
      },
      { type: 'repeat', id: 'A1', time: t(2), value: 2 },
      { type: 'ack', id: 'A1', time: t(3), note: 'on it', user: 'ana' },
      {
        type: 'open',
        id: 'A3',
        time: t(4),
        rule: 'd',
        kind: 'drift-score',
        severity: 'warning',
        model: 'n',
        subject: 'n',
        value: 0.4,
        threshold: 0.25,
        message: 'z',
      },
      { type: 'resolve', id: 'A3', time: t(5), value: 0.1, reason: 'below' },
    ];
    const list = foldAlerts(events, 1);
    expect(list.alerts.map((a) => `${a.id}:${a.status}`)).toEqual(['A3:resolved', 'A2:open', 'A1:open']);
    expect(list.open).toBe(2);
    expect(list.unacknowledged).toBe(1);
    expect(list.tornLines).toBe(1);
    expect(list.alerts[2]).toMatchObject({ repeats: 1, lastValue: 2, ack: { note: 'on it', user: 'ana', time: t(3) } });
    expect(list.alerts[0]).toMatchObject({ resolvedAt: t(5), lastValue: 0.1 });
  });
});

describe('observations from a snapshot', () => {
  const snap: ModelSnapshot = {
    model: 'm',
    version: '1.0.0',
    status: 'warning',
    driftScore: 0.3,
    features: [
      { name: 'hvac_kw', psi: 0.4 },
      { name: 'total_kw', psi: 0.01 },
    ],
    anomalyRate: 0.02,
    latencyP95: 12,
    readingLatencyP95: null,
    buildings: { b1: { rows: 10, anomalies: 5 }, b2: { rows: 0, anomalies: 0 } },
  };
  it('each kind reads its value; scoped rules see only their model, feature or building; jobs count inside the window', () => {
    const rules = [
      rule({ id: 'h', kind: 'health', threshold: 1 }),
      rule({ id: 'f', kind: 'feature-drift', threshold: 0.25, feature: 'hvac_kw' }),
      rule({ id: 'fa', kind: 'feature-drift', threshold: 0.25 }),
      rule({ id: 'b', kind: 'building-anomaly-rate', threshold: 0.2 }),
      rule({ id: 'l', kind: 'reading-latency-p95', threshold: 1 }),
      rule({ id: 'other', kind: 'drift-score', threshold: 0.1, model: 'not-m' }),
      rule({ id: 'j', kind: 'job-failures', threshold: 1, windowMs: 60 * MIN }),
    ];
    const now = 1000 * MIN;
    const { observations, covered } = observe(rules, { models: [snap], jobFailures: [now - 30 * MIN, now - 90 * MIN], now });
    expect(observations.map((o) => `${o.rule.id}:${o.subject}=${o.value}`)).toEqual([
      'h:m=1',
      'f:hvac_kw=0.4',
      'fa:hvac_kw=0.4',
      'fa:total_kw=0.01',
      'b:b1=0.5',
      'j:jobs=1',
    ]);
    // No reading latency and a rule of another model: not covered, so nothing of theirs resolves.
    expect(covered.map((c) => c.rule)).toEqual(['h', 'f', 'fa', 'b', 'j']);
  });
});
