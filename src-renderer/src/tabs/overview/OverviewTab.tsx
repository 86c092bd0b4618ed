import { useEffect } from 'react';
import type { HealthResult } from '../../../../src-main/contract/ops/monitoring';
import { driftWindowWords } from '../../../../src-main/contract/shared/monitoring';
import { LiveCard } from '../../components/LiveCard';
import { MetricCard } from '../../components/MetricCard';
import { EmptyState, Panel } from '../../components/Panel';
import { fmtInt, fmtMs, fmtPsi } from '../../components/format';
import { refreshHealth, useMonitoring } from '../../state/monitoring';
import { useApp } from '../../state/store';
import { fmtPerReading } from '../performance/rate';
import { AlertsPanel, RecommendationsPanel } from './HealthLists';
import { OverviewTrends } from './OverviewTrends';
import './monitoring.css';
import { saveFile } from '../../api/save-file';

const WORD = { healthy: 'Healthy', warning: 'Warning', critical: 'Critical' } as const;

/** The top metrics row of ARCHITECTURE §8a: health, drift score, p95 latency, predictions. */
function MetricsRow({ h }: { h: HealthResult | null }) {
  const perf = h?.performance ?? null;
  const scored = (perf?.predictions ?? 0) > 0;
  const drift = h?.drift ?? null;
  return (
    <div className="metrics-row span-2" data-testid="overview-metrics">
      <MetricCard
        label="Health"
        value={h?.version && scored && h.status !== 'no-model' ? WORD[h.status] : '—'}
        status={h?.version && scored && h.status !== 'no-model' ? h.status : 'neutral'}
        detail={
          !h
            ? 'Loading…'
            : !h.version
              ? 'No model yet'
              : scored
                ? `${h.model} ${h.version}${h.alias ? ` (${h.alias})` : ''}`
                : 'Needs scored data'
        }
        testId="metric-health"
      />
      <MetricCard
        label="Drift score"
        value={drift ? fmtPsi(drift.driftScore) : '—'}
        status={drift ? (drift.datasetDrift ? 'critical' : drift.driftedFeatures.length > 0 ? 'warning' : 'healthy') : 'neutral'}
        detail={
          drift
            ? `${drift.driftedFeatures.length} of ${drift.features.length} features drifted · ${driftWindowWords(drift).replace(/^the /, '')}` +
              (drift.season ? ' · vs the same weeks of training' : '')
            : 'Needs scored data'
        }
        testId="metric-drift"
      />
      <MetricCard
        label={perf?.latency || !perf?.readingLatency ? 'Request latency p95' : 'Batch latency p95'}
        value={perf?.latency ? fmtMs(perf.latency.p95Ms) : perf?.readingLatency ? fmtPerReading(perf.readingLatency.p95Ms) : '—'}
        detail={
          perf?.latency
            ? `online requests · mean ${fmtMs(perf.latency.meanMs)} · p99 ${fmtMs(perf.latency.p99Ms)}`
            : perf?.readingLatency
              ? `${fmtInt(perf.batch.requests)} batches, per reading`
              : 'Needs scored data'
        }
        testId="metric-latency"
      />
      <MetricCard
        label="Predictions"
        value={fmtInt(h?.loggedPredictions ?? 0)}
        detail={perf && scored ? `${fmtInt(perf.anomalies)} flagged in the last ${fmtInt(perf.predictions)}` : 'Logged so far'}
        testId="metric-predictions"
      />
    </div>
  );
}

/** The report for people who do not open the app (File ▸ Export Report… does the same, also as PDF). */
function ReportPanel({ model }: { model: string }) {
  return (
    <Panel
      title="Report"
      className="span-2"
      testId="report-panel"
      actions={
        <button
          type="button"
          className="btn-small"
          onClick={() => void saveFile('report.build', { model }, `greenlens-report-${model}.html`)}
        >
          Export report
        </button>
      }
    >
      <p className="muted small">
        One HTML file with health, drift, performance, versions and alerts, charts included, that opens anywhere without a network; print it
        to PDF from any browser, or use File ▸ Export Report… in the desktop app.
      </p>
    </Panel>
  );
}

export function OverviewTab() {
  const setTab = useApp((s) => s.setTab);
  const h = useMonitoring((s) => s.health);
  useEffect(() => {
    void refreshHealth();
  }, []);
  const scored = (h?.performance?.predictions ?? 0) > 0;
  return (
    <div className="grid">
      <MetricsRow h={h} />
      <LiveCard />
      {h && !h.version && (
        <Panel title="Get started" className="span-2">
          <EmptyState
            title="Welcome to GreenLens"
            action={
              <button type="button" className="btn-primary" onClick={() => setTab('data')}>
                Go to Data
              </button>
            }
          >
            Start on the Data tab: generate a simulated building dataset or import a CSV of meter readings. Then train an anomaly model,
            score new readings, and this page will show health, drift, latency and what to do next.
          </EmptyState>
        </Panel>
      )}
      {h?.version && !scored && (
        <Panel title="Start monitoring" className="span-2">
          <EmptyState
            title={`No predictions logged for ${h.model} yet`}
            action={
              <button type="button" className="btn-primary" onClick={() => setTab('data')}>
                Go to Data
              </button>
            }
          >
            Version {h.version} is ready. Score readings with it (Data tab, or `greenlens score --registry DIR --data FILE.csv`): every
            prediction is logged, and health, drift and latency appear here.
          </EmptyState>
        </Panel>
      )}
      {h?.version && scored && (
        <>
          <AlertsPanel h={h} />
          <RecommendationsPanel h={h} />
          <OverviewTrends perf={h.performance!} />
        </>
      )}
      {h?.version && <ReportPanel model={h.model} />}
    </div>
  );
}
