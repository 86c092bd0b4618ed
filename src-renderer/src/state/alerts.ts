import { create } from 'zustand';
import type { AlertList, AlertRulesFile, AlertView } from '../../../src-main/contract/shared/alerts';
import { bridge, on } from '../api/client';
import { onTopic, tryCall, useApp } from './store';

/**
 * Alerts slice: the history folded by the worker, the rules, and delivery in the
 * renderer: the window title carries the count of open, unacknowledged alerts,
 * and in web mode the browser's notifications show each alert once the user
 * turned them on (Electron's main process shows native ones).
 */
interface AlertsState {
  list: AlertList | null;
  rules: AlertRulesFile | null;
  /** Why notifications could not be turned on (the browser refused), or null. */
  notifyProblem: string | null;
}

export const useAlerts = create<AlertsState>(() => ({ list: null, rules: null, notifyProblem: null }));

const BASE_TITLE = 'GreenLens';

function showCount(unacknowledged: number): void {
  document.title = unacknowledged > 0 ? `(${unacknowledged}) ${BASE_TITLE}` : BASE_TITLE;
}

export async function refreshAlerts(): Promise<void> {
  const list = await tryCall('alerts.list', { status: 'all' }, 'Loading alerts');
  if (!list) return;
  useAlerts.setState({ list });
  showCount(list.unacknowledged);
}

export async function refreshRules(): Promise<void> {
  const rules = await tryCall('alerts.rules', {}, 'Loading alert rules');
  if (rules) useAlerts.setState({ rules });
}

export async function ackAlert(id: string, note: string): Promise<AlertView | null> {
  const a = await tryCall('alerts.ack', { id, note }, `Acknowledging ${id}`);
  if (a) await refreshAlerts();
  return a;
}

export async function saveRules(rules: AlertRulesFile): Promise<boolean> {
  const saved = await tryCall('alerts.saveRules', rules, 'Saving alert rules');
  if (saved) useAlerts.setState({ rules: saved });
  return saved !== null;
}

export async function checkNow(): Promise<void> {
  await tryCall('alerts.check', {}, 'Checking alert rules');
  await refreshAlerts();
}

const webNotifications = (): boolean => bridge.kind !== 'electron' && typeof Notification !== 'undefined';

/** Turning notifications on in web mode asks the browser first, and only then. */
export async function setNotifications(on: boolean): Promise<void> {
  if (on && webNotifications() && Notification.permission !== 'granted') {
    const answer = await Notification.requestPermission();
    if (answer !== 'granted') {
      useAlerts.setState({ notifyProblem: 'The browser did not allow notifications; allow them for this page in its site settings.' });
      return;
    }
  }
  useAlerts.setState({ notifyProblem: null });
  const settings = await tryCall('settings.set', { alertNotifications: on }, 'Saving notification setting');
  if (settings) useApp.setState({ settings });
}

/** Wires alert events into the slice and the page, once at start-up. */
export function connectAlerts(): () => void {
  const offs = [
    onTopic('alerts', () => void refreshAlerts()),
    onTopic('registry', () => {
      void refreshAlerts();
      void refreshRules();
    }),
    on((event) => {
      if (event.type === 'alert-count') showCount(event.unacknowledged);
      if (event.type !== 'alert') return;
      showCount(event.unacknowledged);
      if (!webNotifications() || !useApp.getState().settings?.alertNotifications || Notification.permission !== 'granted') return;
      const a = event.alert;
      const n = new Notification(`GreenLens ${a.severity}${event.event === 'repeat' ? ' (still firing)' : ''}: ${a.rule}`, {
        body: a.message,
        tag: a.id,
      });
      n.onclick = () => {
        window.focus();
        useApp.getState().setTab('alerts');
      };
    }),
  ];
  void refreshAlerts();
  return () => offs.forEach((off) => off());
}
