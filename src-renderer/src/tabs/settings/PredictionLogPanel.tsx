import { useEffect, useState } from 'react';
import { Panel } from '../../components/Panel';
import { fmtBytes, fmtInt } from '../../components/format';
import { pruneNow, refreshLogStats, useMonitoring } from '../../state/monitoring';
import '../overview/monitoring.css';

/** Size of the prediction log and a Prune now action (applies the saved hot window and retention). */
export function PredictionLogPanel() {
  const stats = useMonitoring((s) => s.logStats);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void refreshLogStats();
  }, []);
  const prune = async (): Promise<void> => {
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
        <button type="button" className="btn btn-nowrap" onClick={() => void prune()} disabled={busy}>
          Prune now
        </button>
        <span className="muted small">Removes whole segments outside the saved hot window (and older than the retention, when set).</span>
      </div>
      {message && (
        <p role="status" className="small">
          {message}
        </p>
      )}
    </Panel>
  );
}
