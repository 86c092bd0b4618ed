import type { RetrainAction } from '../../../../src-main/contract/shared/loop';
import { fmtTime } from '../../components/format';
import { clearRetrain } from '../../state/loop';

/** What a training started from a recommendation will record: the window it trains on, the parent, the trigger, the reason. */
export function RetrainNote({ action }: { action: RetrainAction }) {
  return (
    <div className="small" role="note" data-testid="retrain-note">
      <p>
        <strong>{action.label}</strong>: trains only on readings from {fmtTime(action.fromMs)} to {fmtTime(action.toMs)} (data time) and
        records parent {action.parent}, trigger {action.trigger} and the reason: {action.reason}.{' '}
        <button type="button" className="btn-small" onClick={clearRetrain}>
          Train normally instead
        </button>
      </p>
    </div>
  );
}

/** The train input fields a recommendation adds. */
export function retrainFields(action: RetrainAction | null) {
  if (!action) return {};
  return {
    window: { fromMs: action.fromMs, toMs: action.toMs },
    lineage: { parent: action.parent, trigger: action.trigger, reason: action.reason },
  };
}
