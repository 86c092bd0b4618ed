import { useState } from 'react';
import type { DeploymentEvent } from '../../../../src-main/contract/ops/registry';
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

/** The deployment history, newest first, with one-click rollback of production. */
export function DeploymentTimeline() {
  const history = useRegistry((s) => s.history);
  const list = useRegistry((s) => s.list);
  const [confirming, setConfirming] = useState(false);
  // The backend walks the alias's history (one definition): never back to the version a rollback left.
  const current = list?.aliases[DEFAULT_ALIAS];
  const back = list?.rollbackTo[DEFAULT_ALIAS];
  const target = current && back ? { from: current, to: back } : null;
  return (
    <Panel
      title="Deployment history"
      testId="deployment-history"
      actions={
        <button
          type="button"
          className="btn btn-danger"
          disabled={!target}
          title={target ? `Move production back from ${target.from} to ${target.to}` : 'Production has no earlier version to go back to'}
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
        <RollbackDialog alias={DEFAULT_ALIAS} from={target.from} to={target.to} open={confirming} onClose={() => setConfirming(false)} />
      )}
    </Panel>
  );
}
