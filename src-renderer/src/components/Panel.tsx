import type { ReactNode } from 'react';

/** A titled card for a chart or table; `actions` sit on the right of the title. */
export function Panel(props: { title: string; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`card panel ${props.className ?? ''}`} aria-label={props.title} data-testid={props.testId}>
      <header className="panel-header">
        <h2>{props.title}</h2>
        {props.actions && <div className="panel-actions">{props.actions}</div>}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}

/** What to do next when there is nothing to show yet. */
export function EmptyState(props: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty" role="note">
      <h3>{props.title}</h3>
      <p>{props.children}</p>
      {props.action}
    </div>
  );
}
