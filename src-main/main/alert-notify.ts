import { app, Notification } from 'electron';
import type { GreenLensEvent } from '../contract';

/**
 * Alerts reaching the desktop (ARCHITECTURE §6a): a native notification for
 * each alert that opens or fires again (when the user turned notifications on
 * in the Alerts tab), and the count of open, unacknowledged alerts on the dock
 * or taskbar badge where the OS has one. A click brings the window forward on
 * the Alerts tab.
 */
export function notifyAlerts(
  events: { on(listener: (event: GreenLensEvent) => void): () => void },
  enabled: () => boolean,
  show: (event: GreenLensEvent) => void,
): () => void {
  return events.on((event) => {
    if (event.type === 'alert-count' || event.type === 'alert') {
      // Linux needs a Unity launcher and Windows has no count badge: setBadgeCount answers false there, which is fine.
      app.setBadgeCount(event.unacknowledged);
    }
    if (event.type !== 'alert' || !enabled() || !Notification.isSupported()) return;
    const a = event.alert;
    const n = new Notification({
      title: `GreenLens ${a.severity}${event.event === 'repeat' ? ' (still firing)' : ''}: ${a.rule}`,
      body: a.message,
      urgency: a.severity === 'critical' ? 'critical' : 'normal',
    });
    n.on('click', () => show({ type: 'menu', command: 'show-tab', tab: 'alerts' }));
    n.show();
  });
}
