import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GreenLensEvent } from '../../src-main/contract';
import type { AlertView } from '../../src-main/contract/shared/alerts';
import { recorded, resetDouble } from './electron-test-double';

vi.mock('electron', () => import('./electron-test-double'));

const { notifyAlerts } = await import('../../src-main/main/alert-notify');

/** Main's alert delivery against the recording electron test double: native notifications and the dock badge. */
const alert: AlertView = {
  id: 'A7',
  rule: 'drift-score',
  kind: 'drift-score',
  severity: 'critical',
  model: 'energy-anomaly',
  subject: 'energy-anomaly',
  status: 'open',
  openedAt: '2026-11-30T22:00:00.000Z',
  resolvedAt: null,
  value: 0.31,
  lastValue: null,
  threshold: 0.25,
  message: 'Drift score of energy-anomaly 1.0.0 is 0.310, at or above 0.250 (rule drift-score)',
  repeats: 0,
  ack: null,
};

function bus() {
  const listeners = new Set<(e: GreenLensEvent) => void>();
  return {
    on(l: (e: GreenLensEvent) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit(e: GreenLensEvent) {
      for (const l of listeners) l(e);
    },
  };
}

beforeEach(() => resetDouble());

describe('alert notifications in main (electron test double)', () => {
  it('an opened alert shows a native notification with its rule and message; the badge carries the count', () => {
    const b = bus();
    const shown: GreenLensEvent[] = [];
    notifyAlerts(
      b,
      () => true,
      (e) => shown.push(e),
    );
    b.emit({ type: 'alert', event: 'open', alert, unacknowledged: 3 });
    expect(recorded.notifications).toHaveLength(1);
    const n = recorded.notifications[0]!;
    expect(n.options).toEqual({ title: 'GreenLens critical: drift-score', body: alert.message, urgency: 'critical' });
    expect(n.shown).toBe(true);
    expect(recorded.badgeCounts).toEqual([3]);
    // A click brings the window to the Alerts tab.
    n.fire('click');
    expect(shown).toEqual([{ type: 'menu', command: 'show-tab', tab: 'alerts' }]);
  });

  it('a repeat says it is still firing; an ack lowers the badge without a notification', () => {
    const b = bus();
    notifyAlerts(
      b,
      () => true,
      () => undefined,
    );
    b.emit({ type: 'alert', event: 'repeat', alert: { ...alert, severity: 'warning' }, unacknowledged: 1 });
    b.emit({ type: 'alert-count', unacknowledged: 0 });
    expect(recorded.notifications.map((n) => [n.options.title, n.options.urgency])).toEqual([
      ['GreenLens warning (still firing): drift-score', 'normal'],
    ]);
    expect(recorded.badgeCounts).toEqual([1, 0]);
  });

  it('turned off, or where the OS has no notifications: no notification, the badge still counts', () => {
    const b = bus();
    let on = false;
    notifyAlerts(
      b,
      () => on,
      () => undefined,
    );
    b.emit({ type: 'alert', event: 'open', alert, unacknowledged: 1 });
    on = true;
    recorded.notificationsSupported = false;
    b.emit({ type: 'alert', event: 'open', alert, unacknowledged: 2 });
    expect(recorded.notifications).toEqual([]);
    expect(recorded.badgeCounts).toEqual([1, 2]);
    // Unrelated events change nothing.
    b.emit({ type: 'changed', topic: 'alerts' });
    expect(recorded.badgeCounts).toEqual([1, 2]);
  });
});
