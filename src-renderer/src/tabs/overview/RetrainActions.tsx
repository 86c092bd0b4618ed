import type { HealthResult } from '../../../../src-main/contract/ops/monitoring';
import { openRetrain } from '../../state/loop';

/** A retrain recommendation as a button: opens the Train form on the drifted readings' window, with the lineage filled in. */
export function RetrainActions({ h }: { h: HealthResult }) {
  if (!h.actions?.length) return null;
  return (
    <div className="form-actions" data-testid="retrain-actions">
      {h.actions.map((a) => (
        <button key={a.label} type="button" className="btn-primary" onClick={() => openRetrain(a)} title={a.reason}>
          {a.label}
        </button>
      ))}
    </div>
  );
}
