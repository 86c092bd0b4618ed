import { StatusBadge } from '../components/MetricCard';
import { useApp } from '../state/store';
import { OpenRegistryButton } from './OpenRegistryButton';

/** Registry name and path, active model and alias, health badge, Open button. */
export function Header() {
  const info = useApp((s) => s.info);
  const active = useApp((s) => s.activeModel);
  const health = useApp((s) => s.health);
  const connected = useApp((s) => s.connected);
  const path = info?.registryPath ?? null;
  const name = path ? path.split(/[\\/]/).filter(Boolean).at(-1) : 'no registry';
  return (
    <header className="app-header">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ◉
        </span>{' '}
        GreenLens
      </div>
      <div className="registry" title={path ?? ''} data-testid="registry-name">
        <span className="muted small">Registry</span> <strong>{name}</strong>
        {path && <span className="muted small path"> {path}</span>}
      </div>
      <div className="model-status" data-testid="active-model">
        {active ? (
          <>
            <span className="muted small">Model</span> <strong>{active.model}</strong>
            <span className="chip">{active.version}</span>
            {active.alias && <span className="chip chip-alias">{active.alias}</span>}
          </>
        ) : (
          <span className="muted small">No model trained yet</span>
        )}
      </div>
      {connected ? (
        <StatusBadge status={health ?? 'neutral'} label={health ?? 'no data'} />
      ) : (
        <span className="badge badge-critical" role="status" data-testid="connection-status" title="Is `greenlens serve` still running?">
          Disconnected — reconnecting…
        </span>
      )}
      <OpenRegistryButton />
    </header>
  );
}
