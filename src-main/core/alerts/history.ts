import type { AlertHistoryEvent, AlertList, AlertView } from '../../contract/shared/alerts';

/** Folds alerts/events.ndjson (oldest first) into one view per alert, newest first. */
export function foldAlerts(events: readonly AlertHistoryEvent[], tornLines = 0): AlertList {
  const byId = new Map<string, AlertView>();
  for (const e of events) {
    if (e.type === 'open') {
      byId.set(e.id, {
        id: e.id,
        rule: e.rule,
        kind: e.kind,
        severity: e.severity,
        model: e.model,
        subject: e.subject,
        status: 'open',
        openedAt: e.time,
        resolvedAt: null,
        value: e.value,
        lastValue: null,
        threshold: e.threshold,
        message: e.message,
        repeats: 0,
        ack: null,
      });
      continue;
    }
    const a = byId.get(e.id);
    if (!a) continue;
    if (e.type === 'repeat') {
      a.repeats++;
      a.lastValue = e.value;
    } else if (e.type === 'resolve') {
      a.status = 'resolved';
      a.resolvedAt = e.time;
      a.lastValue = e.value;
    } else {
      a.ack = { time: e.time, note: e.note, user: e.user };
    }
  }
  const alerts = [...byId.values()].reverse();
  const open = alerts.filter((a) => a.status === 'open');
  return { alerts, open: open.length, unacknowledged: open.filter((a) => a.ack === null).length, tornLines };
}
