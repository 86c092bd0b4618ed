import { useEffect, useState } from 'react';
import { ALERT_SEVERITIES, type AlertRule, type AlertSeverity } from '../../../../src-main/contract/shared/alerts';
import { Panel } from '../../components/Panel';
import { saveRules, useAlerts } from '../../state/alerts';

const MIN = 60_000;

/** A duration edited in whole minutes, kept in ms like the rules file. */
function MinutesInput(props: { label: string; ms: number; onChange: (ms: number) => void }) {
  return (
    <input
      type="number"
      aria-label={props.label}
      min={0}
      step={1}
      value={props.ms / MIN}
      onChange={(e) => Number.isFinite(e.target.valueAsNumber) && props.onChange(Math.round(e.target.valueAsNumber * MIN))}
    />
  );
}

/** The rules of the open registry: on/off, severity, threshold, minimum duration and cool-down (in minutes). */
export function RulesEditor() {
  const saved = useAlerts((s) => s.rules);
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => setRules(saved?.rules ?? []), [saved]);
  const edit = (i: number, patch: Partial<AlertRule>): void => {
    setStatus(null);
    setRules((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  };
  const dirty = JSON.stringify(rules) !== JSON.stringify(saved?.rules ?? []);
  return (
    <Panel
      title="Rules"
      testId="rules-panel"
      actions={
        <button
          type="button"
          className="btn-small"
          disabled={!dirty}
          onClick={() => void saveRules({ formatVersion: 1, rules }).then((ok) => setStatus(ok ? 'Saved.' : null))}
        >
          Save rules
        </button>
      }
    >
      <div className="table-wrap">
        <table className="table rules-table">
          <thead>
            <tr>
              <th>On</th>
              <th>Rule</th>
              <th>Severity</th>
              <th className="num">Threshold</th>
              <th className="num">Min. duration (min)</th>
              <th className="num">Cool-down (min)</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r, i) => (
              <tr key={r.id} data-testid={`rule-${r.id}`}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${r.id} enabled`}
                    checked={r.enabled}
                    onChange={(e) => edit(i, { enabled: e.target.checked })}
                  />
                </td>
                <td>
                  {r.id}
                  <div className="muted small">
                    {r.kind}
                    {[r.model, r.feature, r.building].filter(Boolean).length > 0 &&
                      ` · ${[r.model, r.feature, r.building].filter(Boolean).join(' ')}`}
                  </div>
                </td>
                <td>
                  <select
                    aria-label={`${r.id} severity`}
                    value={r.severity}
                    onChange={(e) => edit(i, { severity: e.target.value as AlertSeverity })}
                  >
                    {ALERT_SEVERITIES.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                </td>
                <td className="num">
                  {r.kind === 'health' ? (
                    <select
                      aria-label={`${r.id} threshold`}
                      value={r.threshold}
                      onChange={(e) => edit(i, { threshold: Number(e.target.value) })}
                    >
                      <option value={1}>warning</option>
                      <option value={2}>critical</option>
                    </select>
                  ) : (
                    <input
                      type="number"
                      aria-label={`${r.id} threshold`}
                      min={0}
                      step="any"
                      value={r.threshold}
                      onChange={(e) => Number.isFinite(e.target.valueAsNumber) && edit(i, { threshold: e.target.valueAsNumber })}
                    />
                  )}
                </td>
                <td className="num">
                  <MinutesInput
                    label={`${r.id} minimum duration in minutes`}
                    ms={r.minDurationMs}
                    onChange={(ms) => edit(i, { minDurationMs: ms })}
                  />
                </td>
                <td className="num">
                  <MinutesInput label={`${r.id} cool-down in minutes`} ms={r.cooldownMs} onChange={(ms) => edit(i, { cooldownMs: ms })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        A rule fires when its value is at or above the threshold for the minimum duration; it notifies again only after the cool-down.
        {status && <span data-testid="rules-status"> {status}</span>}
      </p>
    </Panel>
  );
}
