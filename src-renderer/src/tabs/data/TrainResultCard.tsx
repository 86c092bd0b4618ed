import { useState } from 'react';
import type { TrainResult } from '../../../../src-main/contract/ops/model';
import { DEFAULT_ALIAS } from '../../../../src-main/contract/shared/registry';
import { fmtInt, fmtNum, fmtPct } from '../../components/format';
import { fmtScore } from './score-format';
import { MetricCard } from '../../components/MetricCard';
import { typeRecalls } from '../../components/contextual-metrics';
import { promote } from '../../state/model';

/** "hvac_fault 0.95, spike 1.00" from a version's recall_<type> metrics. */
function recallText(m: Record<string, number | null>): string {
  return typeRecalls(m)
    .map((r) => `${r.type} ${fmtNum(r.recall, 2)}`)
    .join(', ');
}

const MINI_ROW = { gridTemplateColumns: 'repeat(4, minmax(0, 1fr))', marginTop: 10 } as const;

/** The version a training just registered: its key metrics and a one-click promotion (with a reason). */
export function TrainResultCard({ result }: { result: TrainResult }) {
  const m = result.metrics;
  const meta = result.versionMeta;
  const inProduction = meta.aliases.includes(DEFAULT_ALIAS);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const where = m.evaluatedOn === 1 ? `on ${fmtInt(m.holdoutRows)} held-out rows` : 'on the training rows';
  const submit = async (): Promise<void> => {
    setBusy(true);
    await promote(result.version, reason.trim() || `Trained on ${meta.trainingData.source ?? 'the current dataset'}`);
    setBusy(false);
  };
  return (
    <section aria-label="Training result" data-testid="train-result">
      <div className="metrics-row" style={MINI_ROW}>
        <MetricCard
          label="Registered version"
          value={<span data-testid="trained-version">{result.version}</span>}
          detail={inProduction ? DEFAULT_ALIAS : result.model}
          status={inProduction ? 'healthy' : 'neutral'}
        />
        <MetricCard
          label="Anomaly rate (training)"
          value={fmtPct(m.anomalyRate)}
          detail={`threshold ${fmtScore(result.params.threshold)}`}
        />
        <MetricCard
          label="F1"
          value={fmtNum(m.f1, 3)}
          detail={m.f1 === null ? 'no label column' : `P ${fmtNum(m.precision, 2)} · R ${fmtNum(m.recall, 2)} ${where}`}
        />
        <MetricCard label="ROC AUC" value={fmtNum(m.rocAuc, 3)} detail={`trained in ${fmtInt(m.trainingMs)} ms`} />
      </div>
      {result.params.algorithm === 'contextual' ? (
        <p className="muted small" data-testid="trained-contextual">
          Contextual detector on {fmtInt(meta.trainingData.rows)} readings of {fmtInt(m.buildings)} building(s)
          {m.fleetBuildings ? ` (${fmtInt(m.fleetBuildings)} on the fleet baseline)` : ''}; meters {(result.params.meters ?? []).join(', ')}
          , temperature {result.params.temperatureColumn ?? 'none'}, stuck after {result.params.stuckHours} h; members{' '}
          {Object.entries(result.params.weights ?? {})
            .map(([k, w]) => `${k} ×${w}`)
            .join(' · ')}
          {recallText(m) ? `; recall by fault type: ${recallText(m)}` : ''}.
        </p>
      ) : (
        <p className="muted small">
          {fmtInt(meta.trainingData.rows)} rows × {result.params.features.length} features, {result.params.trees} trees, subsample{' '}
          {result.params.subsample},{' '}
          <span data-testid="trained-normalize">
            {result.params.idColumn ? `normalised per ${result.params.idColumn}` : 'not normalised'}
          </span>
          ; score p50 {fmtScore(m.scoreP50)} · p95 {fmtScore(m.scoreP95)} · p99 {fmtScore(m.scoreP99)}
          {m.droppedRows ? `; ${fmtInt(m.droppedRows)} rows with missing values left out` : ''}.
        </p>
      )}
      {result.warnings.map((w) => (
        <p key={w} className="small" role="status" data-testid="train-warning">
          ⚠ {w}
        </p>
      ))}
      {!inProduction && (
        <div className="form-actions">
          <label className="sr-only" htmlFor="promote-reason">
            Reason for promoting
          </label>
          <input
            id="promote-reason"
            placeholder="Reason (recorded in the deployment log)"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            style={{ flex: 1 }}
          />
          <button type="button" className="btn" disabled={busy} onClick={() => void submit()}>
            Promote to production
          </button>
        </div>
      )}
    </section>
  );
}
