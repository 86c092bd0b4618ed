import { StatusBadge } from '../components/MetricCard';
import { useApp } from '../state/store';
import { useShellExtras } from './shell-extras';

/** Registry name and path, active model and alias, health badge, Open button. */
export function Header() {
  const info = useApp((s) => s.info);
  const extras = useShellExtras();
  const path = info?.registryPath ?? null;
  const name = path ? path.split(/[\\/]/).filter(Boolean).at(-1) : 'no registry';
  return (
    <header className="app-header">
      <div className="brand">
        <span className="logo" aria-hidden="true">◉</span> GreenLens
      </div>
      <div className="registry" title={path ?? ''} data-testid="registry-name">
        <span className="muted small">Registry</span> <strong>{name}</strong>
        {path && <span className="muted small path"> {path}</span>}
      </div>
      <div className="model-status" data-testid="active-model">
        {extras.model ? (
          <>
            <span className="muted small">Model</span> <strong>{extras.model}</strong>
            {extras.version && <span className="chip">{extras.version}</span>}
            {extras.alias && <span className="chip chip-alias">{extras.alias}</span>}
          </>
        ) : (
          <span className="muted small">No model trained yet</span>
        )}
      </div>
      <StatusBadge status={extras.health ?? 'neutral'} label={extras.health ?? 'no data'} />
      {extras.openButton}
    </header>
  );
}
