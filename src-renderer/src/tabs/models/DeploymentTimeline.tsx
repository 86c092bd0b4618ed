import { useState } from 'react';
import type { AliasEvent, DeploymentEvent } from '../../../../src-main/contract/ops/registry';
import { EmptyState, Panel } from '../../components/Panel';
import { DEFAULT_ALIAS } from '../../../../src-main/contract/shared/registry';
import { useRegistry } from '../../state/registry';
import { fmtWhen } from './format';
import { RollbackDialog } from './RollbackDialog';

const ICON: Record<DeploymentEvent['action'], string> = { promote: '▲', rollback: '↺', archive: '▣' };
const VERB: Record<DeploymentEvent['action'], string> = { promote: 'Promoted', rollback: 'Rolled back', archive: 'Archived' };

function What({ e }: { e: DeploymentEvent }) {
  if (e.action === 'archive') return <span className="chip">{e.version}</span>;
  return (
    <>
      <strong>{e.alias}</strong> {e.from ? <span className="chip">{e.from}</span> : <span className="muted">(new)</span>} →{' '}
      <span className="chip chip-alias">{e.to}</span>
    </>
  );
}

/** Where a rollback of `alias` would go: the alias's last change, undone. */
export function rollbackTarget(events: DeploymentEvent[], alias: string): AliasEvent | null {
  const last = [...events].reverse().find((e): e is AliasEvent => e.action !== 'archive' && e.alias === alias);
  return last && last.from !== null ? last : null;
}

/** The deployment history, newest first, with one-click rollback of production. */
export function DeploymentTimeline() {
  const history = useRegistry((s) => s.history);
  const [confirming, setConfirming] = useState(false);
  const target = rollbackTarget(history, DEFAULT_ALIAS);
  return (
    <Panel
      title="Deployment history"
      testId="deployment-history"
      actions={
        <button
          type="button"
          className="btn btn-danger"
          disabled={!target}
          title={target ? `Move production back from ${target.to} to ${target.from}` : 'Production has no earlier version to go back to'}
          onClick={() => setConfirming(true)}
        >
          ↺ Roll back production
        </button>
      }
    >
      {history.length === 0 ? (
        <EmptyState title="No deployments yet">
          Promote a version to production (select it, then Promote…) and every move is recorded here with its reason.
        </EmptyState>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {[...history].reverse().map((e, i) => (
            <li key={`${e.time}-${i}`} className={`tl-${e.action}`}>
              <div>
                <span aria-hidden="true">{ICON[e.action]}</span> <strong>{VERB[e.action]}</strong> <What e={e} />
              </div>
              <div className="small">“{e.reason}”</div>
              <div className="muted small">
                {fmtWhen(e.time)} UTC · {e.user}
              </div>
            </li>
          ))}
        </ol>
      )}
      {target && (
        <RollbackDialog alias={DEFAULT_ALIAS} from={target.to} to={target.from!} open={confirming} onClose={() => setConfirming(false)} />
      )}
    </Panel>
  );
}
