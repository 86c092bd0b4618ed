import { useEffect } from 'react';
import type { DriftResult } from '../../../../src-main/contract/ops/monitoring';
import { keptWords } from '../../../../src-main/contract/shared/monitoring';
import { BuildingPicker } from '../../components/BuildingPicker';
import { MetricCard } from '../../components/MetricCard';
import { EmptyState, Panel } from '../../components/Panel';
import { fmtInt, fmtPct, fmtPsi } from '../../components/format';
import { runDrift, selectFeature, useMonitoring, type DriftRequest } from '../../state/monitoring';
import { useApp } from '../../state/store';
import '../overview/monitoring.css';
import { DriftControls } from './DriftControls';
import { DriftTrendChart, OverlayChart, PsiChart } from './DriftCharts';
import { FeatureTable } from './FeatureTable';

function describeSources(d: DriftResult): string {
  const ref =
    d.reference.kind === 'profile'
      ? d.season
        ? `training readings of ${d.reference.model} ${d.reference.version} from the same weeks of the year (${fmtInt(d.season.rows)} sampled)`
        : `training profile of ${d.reference.model} ${d.reference.version} (${fmtInt(d.reference.rows)} rows)`
      : d.reference.path;
  const cur =
    d.current.kind === 'log'
      ? `${d.current.window}${d.current.sampledEvery > 1 ? `, ${keptWords(d.current.sampledEvery)}` : ''}`
      : d.current.kind === 'dataset'
        ? `dataset ${d.current.name}`
        : d.current.path;
  return `${cur} (${fmtInt(d.current.rows)} rows) vs the ${ref}${d.building ? ' of every building' : ''}`;
}

/** Whose readings the report is about; one building is judged against the fleet's profile, which is all a version keeps. */
function BuildingNote({ d }: { d: DriftResult }) {
  if (!d.building) return null;
  return (
    <p className="small span-2" role="note" data-testid="drift-building-note">
      Building <strong>{d.building.id}</strong>: its readings only, against the fleet reference (the training profile of every building;
      versions keep no profile per building).
    </p>
  );
}

function Summary({ d }: { d: DriftResult }) {
  const status = d.datasetDrift ? 'critical' : d.driftedFeatures.length > 0 ? 'warning' : 'healthy';
  return (
    <div className="metrics-row span-2" data-testid="drift-summary">
      <MetricCard
        label="Verdict"
        value={d.datasetDrift ? 'Dataset drift' : d.driftedFeatures.length > 0 ? 'Feature drift' : 'No drift'}
        status={status}
        detail={d.driftedFeatures.length ? d.driftedFeatures.join(', ') : 'No feature passed the rule'}
        testId="drift-verdict"
      />
      <MetricCard
        label="Drifted features"
        value={`${d.driftedFeatures.length} / ${d.features.length}`}
        detail={`${fmtPct(d.driftedShare, 0)} (dataset drift at ${fmtPct(d.thresholds.datasetDriftShare, 0)})`}
      />
      <MetricCard label="Drift score" value={fmtPsi(d.driftScore)} detail="0 = none, 1 = every feature at 2× the PSI threshold" />
      <MetricCard label="Readings compared" value={fmtInt(d.current.rows)} detail={`in ${d.elapsedMs} ms`} />
    </div>
  );
}

function Report({ d }: { d: DriftResult }) {
  const selected = useMonitoring((s) => s.selectedFeature);
  const feature = d.features.find((f) => f.name === selected) ?? d.features[0]!;
  return (
    <>
      <BuildingNote d={d} />
      <Summary d={d} />
      <Panel title="Drift per feature" className="span-2" actions={<span className="muted small">{describeSources(d)}</span>}>
        <FeatureTable features={d.features} selected={feature.name} onSelect={selectFeature} />
        {d.skipped.length > 0 && <p className="small muted">Not compared: {d.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}</p>}
      </Panel>
      <Panel title="PSI by feature">
        <PsiChart features={d.features} threshold={d.thresholds.psi} />
        <p className="small muted">Bars in the alert colour (✖ in the table) are drifted features.</p>
      </Panel>
      <Panel title={`Distribution: ${feature.name}`} actions={<span className="small muted">click a table row to switch</span>}>
        <OverlayChart f={feature} />
        <FeatureWhy name={feature.name} reasons={feature.reasons} notes={feature.notes} />
      </Panel>
      <Panel title="Drift over time" className="span-2">
        {d.trend && d.trend.chunks.length > 1 ? (
          <DriftTrendChart trend={d.trend} feature={feature.name} psiThreshold={d.thresholds.psi} />
        ) : (
          <p className="muted">The window is too short to cut into chunks; widen it or chunk by rows.</p>
        )}
        {d.trend && (
          <p className="small muted">
            {d.trend.chunks.length} chunks by{' '}
            {typeof d.trend.by === 'string'
              ? d.trend.chunkWidth > 1
                ? `${d.trend.chunkWidth} ${d.trend.by}s`
                : d.trend.by
              : `${fmtInt(d.trend.chunkWidth)} rows`}
            ; chunks with fewer than 100 readings are not judged (gaps). In chunks, KS runs against a 1,000-value subsample of the
            reference; PSI uses its exact bins.
          </p>
        )}
      </Panel>
      <Panel title="The rule" className="span-2">
        <p className="rule" data-testid="drift-rule">
          {d.rule}
        </p>
        <p className="small muted">Drift score: {d.driftScoreRule}. Thresholds are set on the Settings tab and apply to the next report.</p>
      </Panel>
    </>
  );
}

function FeatureWhy(props: { name: string; reasons: string[]; notes: string[] }) {
  if (props.reasons.length === 0 && props.notes.length === 0) return <p className="small muted">{props.name}: no test fired.</p>;
  return (
    <ul className="why small">
      {props.reasons.map((r) => (
        <li key={r}>
          <span className="status-critical" aria-hidden="true">
            ✖
          </span>{' '}
          {r}
        </li>
      ))}
      {props.notes.map((n) => (
        <li key={n} className="muted">
          {n}
        </li>
      ))}
    </ul>
  );
}

export function DriftTab() {
  const setTab = useApp((s) => s.setTab);
  const driftWindow = useApp((s) => s.settings?.monitoring.driftWindow ?? 10_000);
  const health = useMonitoring((s) => s.health);
  const drift = useMonitoring((s) => s.drift);
  const request = useMonitoring((s) => s.driftRequest);
  const running = useMonitoring((s) => s.driftRunning);
  const initial: DriftRequest = request ?? { window: { kind: 'lastN', n: driftWindow }, version: null, chunkBy: 'auto' };
  const canAutoRun = !!health?.version && health.loggedPredictions > 0;
  useEffect(() => {
    // Open on the default comparison: the last driftWindow predictions vs the current version's profile.
    if (canAutoRun && !request && !running) void runDrift(initial);
  }, [canAutoRun, request, running]); // runDrift and initial left out on purpose: a new identity each render must not rerun drift

  if (health && !health.version) {
    return (
      <div className="grid">
        <Panel title="Data drift" className="span-2">
          <EmptyState
            title="No model yet"
            action={
              <button type="button" className="btn-primary" onClick={() => setTab('data')}>
                Go to Data
              </button>
            }
          >
            Drift compares the data a model was trained on with the readings it sees now. Train a model on the Data tab (or `greenlens
            train`); its training profile becomes the reference.
          </EmptyState>
        </Panel>
      </div>
    );
  }
  // The default range is the data time of the readings health judged (not when they were scored).
  const d = health?.drift;
  const range = d && d.fromMs !== null && d.toMs !== null ? { fromMs: d.fromMs, toMs: d.toMs + 60_000 } : null;
  return (
    <div className="grid">
      <Panel title="Compare" className="span-2" actions={<BuildingPicker testId="building-picker-drift" />}>
        {health?.version && (
          <DriftControls
            key={health.version}
            initial={initial}
            currentVersion={health.version}
            defaultRange={range}
            running={running}
            onRun={(r) => void runDrift(r)}
          />
        )}
      </Panel>
      {drift ? (
        <Report d={drift} />
      ) : (
        <Panel title="Data drift" className="span-2">
          {running ? (
            <p className="muted">Checking drift…</p>
          ) : (
            <EmptyState title="No drift report yet">
              {canAutoRun
                ? 'Pick a window above and press Check drift.'
                : 'No predictions are logged yet: score readings with the model (Data tab or `greenlens score`), or compare a loaded dataset above.'}
            </EmptyState>
          )}
        </Panel>
      )}
    </div>
  );
}
