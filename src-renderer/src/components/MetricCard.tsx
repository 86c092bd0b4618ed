import type { ReactNode } from 'react';

export type Status = 'healthy' | 'warning' | 'critical' | 'neutral';

const ICON: Record<Status, string> = { healthy: '✔', warning: '▲', critical: '✖', neutral: '•' };

/** A headline number; status colour always comes with an icon and a word. */
export function MetricCard(props: { label: string; value: ReactNode; detail?: ReactNode; status?: Status; testId?: string }) {
  const status = props.status ?? 'neutral';
  return (
    <section className={`card metric metric-${status}`} aria-label={props.label} data-testid={props.testId}>
      <div className="metric-label">{props.label}</div>
      <div className="metric-value">
        {status !== 'neutral' && (
          <span className="metric-icon" aria-hidden="true">
            {ICON[status]}
          </span>
        )}
        {props.value}
      </div>
      {props.detail && <div className="metric-detail">{props.detail}</div>}
    </section>
  );
}

export function StatusBadge({ status, label }: { status: Status; label?: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid="health-badge">
      <span aria-hidden="true">{ICON[status]}</span> {label ?? status}
    </span>
  );
}
