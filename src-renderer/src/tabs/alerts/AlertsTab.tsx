import { useEffect, useState } from 'react';
import type { AlertView } from '../../../../src-main/contract/shared/alerts';
import { EmptyState, Panel } from '../../components/Panel';
import { ackAlert, checkNow, refreshAlerts, refreshRules, setNotifications, useAlerts } from '../../state/alerts';
import { useApp } from '../../state/store';
import { RulesEditor } from './RulesEditor';
import './alerts.css';

const fmtOpened = (iso: string): string => `${iso.replace('T', ' ').slice(0, 16)} UTC`;
const fmtValue = (v: number): string => String(Number(v.toPrecision(3)));

function AckForm({ alert, onDone }: { alert: AlertView; onDone: () => void }) {
  const [note, setNote] = useState('');
  return (
    <form
      className="ack-form"
      onSubmit={(e) => {
        e.preventDefault();
        void ackAlert(alert.id, note.trim()).then((a) => a && onDone());
      }}
    >
      <input
        aria-label={`Note for ${alert.id}`}
        placeholder="What was done (optional)"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="submit" className="btn-small btn-primary">
        Acknowledge
      </button>
      <button type="button" className="btn-small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

function AlertRow({ a }: { a: AlertView }) {
  const [acking, setAcking] = useState(false);
  return (
    <tr data-testid={`alert-${a.id}`}>
      <td>{a.id}</td>
      <td>
        <span className={`badge badge-${a.status === 'open' ? a.severity : 'healthy'}`}>
          <span aria-hidden="true">{a.status === 'open' ? (a.severity === 'critical' ? '✖' : '▲') : '✔'}</span> {a.status}
        </span>
      </td>
      <td>{a.severity}</td>
      <td>{fmtOpened(a.openedAt)}</td>
      <td>{a.model ?? '—'}</td>
      <td>{a.subject}</td>
      <td className="num">
        {fmtValue(a.value)} / {fmtValue(a.threshold)}
      </td>
      <td className="alert-message">
        {a.message}
        {a.repeats > 0 && <span className="muted small"> · fired {a.repeats + 1} times</span>}
      </td>
      <td>
        {a.ack ? (
          <span data-testid="alert-ack">
            ✔ {a.ack.user}
            {a.ack.note && `: ${a.ack.note}`}
          </span>
        ) : acking ? (
          <AckForm alert={a} onDone={() => setAcking(false)} />
        ) : (
          <button type="button" className="btn-small" onClick={() => setAcking(true)}>
            Acknowledge…
          </button>
        )}
      </td>
    </tr>
  );
}

function NotificationToggle() {
  const on = useApp((s) => s.settings?.alertNotifications ?? false);
  const problem = useAlerts((s) => s.notifyProblem);
  return (
    <div>
      <label className="inline-field">
        <input type="checkbox" checked={on} onChange={(e) => void setNotifications(e.target.checked)} /> Desktop notifications for new
        alerts
      </label>
      <p className="muted small">
        The window title (and the dock where the system has one) shows how many open alerts nobody acknowledged yet. Outbound hooks (a
        command, a folder, an HTTP POST on the local network) are set in <code>alerts/hooks.json</code> of the registry.
      </p>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

export function AlertsTab() {
  const list = useAlerts((s) => s.list);
  const [onlyOpen, setOnlyOpen] = useState(false);
  useEffect(() => {
    void refreshAlerts();
    void refreshRules();
  }, []);
  const shown = (list?.alerts ?? []).filter((a) => !onlyOpen || a.status === 'open');
  return (
    <div className="grid">
      <Panel
        title="Alerts"
        className="span-2"
        testId="alerts-panel"
        actions={
          <>
            <select aria-label="Which alerts" value={onlyOpen ? 'open' : 'all'} onChange={(e) => setOnlyOpen(e.target.value === 'open')}>
              <option value="all">All alerts</option>
              <option value="open">Open only</option>
            </select>
            <button type="button" className="btn-small" onClick={() => void checkNow()}>
              Check rules now
            </button>
          </>
        }
      >
        {!list ? (
          <p className="muted">Loading…</p>
        ) : shown.length === 0 ? (
          <EmptyState title={onlyOpen ? 'No open alerts' : 'No alerts yet'}>
            Rules are checked after every scoring request and when you press Check rules now. An alert opens when a rule&apos;s value
            reaches its threshold for its minimum duration, and resolves by itself when it clears.
          </EmptyState>
        ) : (
          <>
            <p className="muted small" data-testid="alerts-summary">
              {list.open} open, {list.unacknowledged} not acknowledged.
            </p>
            <div className="table-wrap">
              <table className="table" data-testid="alerts-table">
                <thead>
                  <tr>
                    <th>Id</th>
                    <th>Status</th>
                    <th>Severity</th>
                    <th>Opened</th>
                    <th>Model</th>
                    <th>Subject</th>
                    <th className="num">Value / threshold</th>
                    <th>Message</th>
                    <th>Acknowledged</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((a) => (
                    <AlertRow key={a.id} a={a} />
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Panel>
      <Panel title="Notifications">
        <NotificationToggle />
      </Panel>
      <RulesEditor />
    </div>
  );
}
