import type { HealthResult } from '../../../../src-main/contract/ops/monitoring';
import { driftWindowWords } from '../../../../src-main/contract/shared/monitoring';
import { Panel } from '../../components/Panel';
import { fmtTime } from '../../components/format';
import { RetrainActions } from './RetrainActions';

const ICON = { warning: '▲', critical: '✖' } as const;

/** One line per problem, most severe first; the icon and the word carry the level, not colour alone. */
export function AlertsPanel({ h }: { h: HealthResult }) {
  const alerts = [...h.alerts].sort((a, b) => (a.level === b.level ? 0 : a.level === 'critical' ? -1 : 1));
  return (
    <Panel title={`Alerts (${alerts.length})`} testId="overview-alerts">
      {alerts.length === 0 ? (
        <p className="muted">
          <span className="status-healthy" aria-hidden="true">
            ✔
          </span>{' '}
          No alerts: no feature drifted and latency and anomaly rate are within their thresholds.
        </p>
      ) : (
        <ul className="alert-list">
          {alerts.map((a, i) => (
            <li key={i} className={`alert alert-${a.level}`}>
              <span className="alert-level">
                <span aria-hidden="true">{ICON[a.level]}</span> {a.level}
              </span>
              <span>{a.message}</span>
            </li>
          ))}
        </ul>
      )}
      {h.reasons.length > 0 && (
        <p className="small muted">
          Status <strong>{h.status}</strong> because: {h.reasons.join(' ')}
        </p>
      )}
    </Panel>
  );
}

export function RecommendationsPanel({ h }: { h: HealthResult }) {
  return (
    <Panel title="Recommendations" testId="overview-recommendations">
      <ol className="recommendations">
        {h.recommendations.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ol>
      <RetrainActions h={h} />
      <p className="small muted">
        Checked {fmtTime(Date.parse(h.checkedAt))} · drift over {h.drift ? driftWindowWords(h.drift) : 'the last predictions'} of version{' '}
        {h.version}.
      </p>
    </Panel>
  );
}
