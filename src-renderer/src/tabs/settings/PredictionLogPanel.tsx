import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { PrunePreview } from '../../../../src-main/contract/ops/monitoring';
import { Panel } from '../../components/Panel';
import { fmtBytes, fmtInt, fmtTime } from '../../components/format';
import { nothingToPrune, previewPrune, pruneNow, refreshLogStats, segmentsTouched, useMonitoring } from '../../state/monitoring';
import { Dialog } from '../models/Dialog';
import '../overview/monitoring.css';

/**
 * Size of the prediction log and a Prune now action (applies the saved hot
 * window and retention). Pruning asks first, saying how many predictions go,
 * from which request times, and how much disk space comes back.
 */
export function PredictionLogPanel() {
  const stats = useMonitoring((s) => s.logStats);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<PrunePreview | null>(null);
  useEffect(() => {
    void refreshLogStats();
  }, []);
  const ask = async (): Promise<void> => {
    setBusy(true);
    setMessage(null);
    const p = await previewPrune();
    setBusy(false);
    if (!p) return;
    if (p.removedRecords === 0)
      setMessage(`${nothingToPrune(p.policy)} ${fmtInt(p.keptRecords)} predictions (${fmtBytes(p.keptBytes)}) stay.`);
    else setPlan(p);
  };
  const prune = async (): Promise<void> => {
    setPlan(null);
    setBusy(true);
    setMessage(await pruneNow());
    setBusy(false);
  };
  return (
    <Panel title="Prediction log" testId="prediction-log-panel">
      {stats ? (
        <dl className="log-stats">
          <dt>Segments</dt>
          <dd>{fmtInt(stats.segments)}</dd>
          <dt>Predictions</dt>
          <dd>{fmtInt(stats.records)}</dd>
          <dt>Torn records</dt>
          <dd>{fmtInt(stats.tornRecords)}</dd>
          <dt>Size on disk</dt>
          <dd>{fmtBytes(stats.bytes)}</dd>
        </dl>
      ) : (
        <p className="muted">Reading…</p>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-nowrap" onClick={() => void ask()} disabled={busy}>
          Prune now…
        </button>
        <span className="muted small">
          Removes predictions outside the saved hot window (and older than the retention, when set): whole segments, or by compacting a
          segment when more than half of it goes.
        </span>
      </div>
      {message && (
        <p role="status" className="small">
          {message}
        </p>
      )}
      {/* Portal: this panel sits inside the Settings form, and a form inside a form would submit the outer one. */}
      {createPortal(
        <Dialog
          title="Prune the prediction log"
          open={plan !== null}
          onClose={() => setPlan(null)}
          onSubmit={prune}
          submitLabel={plan ? `Delete ${fmtInt(plan.removedRecords)} predictions` : 'Delete'}
          danger
          testId="prune-dialog"
        >
          {plan && (
            <>
              <p>
                This deletes <strong>{fmtInt(plan.removedRecords)}</strong> predictions ({segmentsTouched(plan)}), logged from{' '}
                {plan.fromMs !== null ? fmtTime(plan.fromMs) : '—'} to {plan.toMs !== null ? fmtTime(plan.toMs) : '—'}, and frees{' '}
                <strong>{fmtBytes(plan.freedBytes)}</strong>. It cannot be undone.
              </p>
              <p className="muted small">
                {fmtInt(plan.keptRecords)} predictions ({fmtBytes(plan.keptBytes)}) stay: the newest {fmtInt(plan.policy.keepLast)} of each
                model (the hot window){' '}
                {plan.policy.olderThanMs !== null ? `and those logged after ${fmtTime(plan.policy.olderThanMs)} ` : ''}
                and the rest of the segments that are not compacted.
              </p>
            </>
          )}
        </Dialog>,
        document.body,
      )}
    </Panel>
  );
}
