import { useEffect, useState } from 'react';
import type { PerformanceResult } from '../../../../src-main/contract/ops/monitoring';
import { ONLINE_MAX_ROWS } from '../../../../src-main/contract/shared/monitoring';
import { TimeSeriesChart } from '../../components/charts';
import { LiveCard } from '../../components/LiveCard';
import { MetricCard } from '../../components/MetricCard';
import { EmptyState, Panel } from '../../components/Panel';
import { fmtInt, fmtMs, fmtPct, fmtTime } from '../../components/format';
import { refreshPerformance, useMonitoring } from '../../state/monitoring';
import { useApp } from '../../state/store';
import '../overview/monitoring.css';
import { bucketLabel, DATA_TIME_AXIS, SCORING_TIME_AXIS, trendSeries } from '../overview/OverviewTrends';
import { fmtPerReading, fmtRate, thresholdStatus } from './rate';
import { AccuracyPanel, LatencyTable, VersionTable } from './PerformanceTables';
import { TypeRecallPanel } from './TypeRecallPanel';
import { saveFile } from '../../api/save-file';
import { FleetPanel } from './FleetPanel';
import { BuildingPerformancePanel } from './BuildingPerformancePanel';
import { BuildingPicker } from '../../components/BuildingPicker';
import { useBuilding } from '../../state/building';
import { FlagDriversPanel } from './FlagDriversPanel';

function WindowPicker() {
  const window = useMonitoring((s) => s.performanceWindow);
  const [n, setN] = useState(window.lastN ?? 10_000);
  return (
    <div className="window-picker">
      <select
        aria-label="Performance window"
        value={window.lastN ? 'last' : 'all'}
        onChange={(e) => void refreshPerformance({ lastN: e.target.value === 'last' ? n : null })}
      >
        <option value="all">All logged predictions</option>
        <option value="last">Last N predictions</option>
      </select>
      {window.lastN !== null && (
        <>
          <input type="number" aria-label="Last N" min={1} step={1} value={n} onChange={(e) => setN(e.target.valueAsNumber)} />
          <button type="button" className="btn-small" onClick={() => void refreshPerformance({ lastN: n })}>
            Apply
          </button>
        </>
      )}
    </div>
  );
}

/** Precision of the flags people reviewed (Data tab or `greenlens feedback`): the accuracy there is when nothing was labelled. */
function FeedbackCard({ p }: { p: PerformanceResult }) {
  const f = p.feedback;
  return (
    <MetricCard
      label={p.classification ? 'Precision (feedback)' : 'Precision (from feedback)'}
      value={fmtPct(f.precision, 1)}
      detail={
        f.reviewed > 0
          ? `${fmtInt(f.confirmed)} confirmed faults, ${fmtInt(f.falseAlarms)} false alarms among ${fmtInt(f.reviewed)} reviewed flags`
          : 'no feedback yet: review flagged readings on the Data tab'
      }
      testId="metric-feedback-precision"
    />
  );
}

function Body({ p }: { p: PerformanceResult }) {
  const thresholds = useApp((s) => s.settings?.thresholds);
  const s = trendSeries(p);
  const p95 = p.latency?.p95Ms ?? null;
  const latencyStatus = thresholdStatus(p95, thresholds?.latencyP95Ms);
  const perReading = p.readingLatency?.p95Ms ?? null;
  const readingStatus = thresholdStatus(perReading, thresholds?.readingLatencyP95Ms);
  const rateStatus =
    p.anomalyRate === null || !thresholds
      ? 'neutral'
      : p.anomalyRate > 2 * thresholds.anomalyRate
        ? 'critical'
        : p.anomalyRate > thresholds.anomalyRate
          ? 'warning'
          : 'healthy';
  return (
    <>
      <div className="metrics-row span-2" data-testid="performance-metrics">
        <MetricCard label="Predictions" value={fmtInt(p.predictions)} detail={`${fmtInt(p.requests)} scoring requests`} />
        <MetricCard
          label="Request latency p95"
          value={fmtMs(p95)}
          status={latencyStatus}
          detail={
            p.latency
              ? `p50 ${fmtMs(p.latency.p50Ms)} · p99 ${fmtMs(p.latency.p99Ms)} · ${fmtInt(p.online.requests)} online requests (≤ ${ONLINE_MAX_ROWS} readings)`
              : 'no online requests'
          }
          testId="metric-request-latency"
        />
        <MetricCard
          label="Batch latency p95"
          value={fmtPerReading(perReading)}
          status={readingStatus}
          detail={p.readingLatency ? `${fmtInt(p.batch.requests)} batches, ${fmtInt(p.batch.readings)} readings` : 'no batches'}
          testId="metric-batch-latency"
        />
        <MetricCard label="Throughput" value={fmtRate(p.throughputPerSec)} detail="readings per second of scoring time" />
        <MetricCard
          label="Anomaly rate"
          value={fmtPct(p.anomalyRate, 2)}
          status={rateStatus}
          detail={`${fmtInt(p.anomalies)} readings flagged`}
        />
        <FeedbackCard p={p} />
      </div>
      <Panel title={`Predictions and anomalies ${bucketLabel(p.trend)}, by the readings' time`} className="span-2">
        <TimeSeriesChart series={s.counts} height={220} xLabel={DATA_TIME_AXIS} testId="perf-counts-chart" />
      </Panel>
      <Panel title={`Latency ${bucketLabel(p.latencyTrend)} (per request, online and batch), by scoring time`} className="span-2">
        <TimeSeriesChart series={s.latency} height={220} yLabel="ms" xLabel={SCORING_TIME_AXIS} testId="perf-latency-chart" />
      </Panel>
      <Panel title="Latency statistics">
        <LatencyTable p={p} />
      </Panel>
      <AccuracyPanel p={p} />
      <TypeRecallPanel model={p.model} />
      <Panel title="Latency by version" className="span-2">
        <VersionTable p={p} />
      </Panel>
    </>
  );
}

export function PerformanceTab() {
  const setTab = useApp((s) => s.setTab);
  const p = useMonitoring((s) => s.performance);
  const building = useBuilding((s) => s.building);
  useEffect(() => {
    void refreshPerformance();
  }, []);
  return (
    <div className="grid">
      <Panel
        title="Performance"
        className="span-2"
        actions={
          <>
            <BuildingPicker testId="building-picker-performance" />
            <WindowPicker />
          </>
        }
      >
        {!p ? (
          <p className="muted">Loading…</p>
        ) : p.predictions === 0 ? (
          <EmptyState
            title="No predictions logged yet"
            action={
              <button type="button" className="btn-primary" onClick={() => setTab('data')}>
                Go to Data
              </button>
            }
          >
            Every scoring request is timed and logged. Score readings with a trained model (Data tab or `greenlens score`) to see latency
            percentiles, throughput, anomaly rate and hourly trends.
          </EmptyState>
        ) : (
          <>
            <p className="muted small" data-testid="performance-window">
              {p.model}: {p.window}
              {p.dataTimeRange && ` · readings from ${fmtTime(p.dataTimeRange.fromMs)} to ${fmtTime(p.dataTimeRange.toMs)}`}
              {p.timeRange && ` · scored ${fmtTime(p.timeRange.fromMs)} to ${fmtTime(p.timeRange.toMs)}`} · {p.trend.points.length} trend
              points · computed in {p.elapsedMs} ms
            </p>
            <div className="form-actions">
              <button
                type="button"
                className="btn-small"
                disabled={p.anomalies === 0}
                onClick={() => void saveFile('predictions.export', { model: p.model, rows: 'flagged' }, `flagged-${p.model}.csv`)}
              >
                Download flagged readings (CSV)
              </button>
              <button
                type="button"
                className="btn-small"
                onClick={() => void saveFile('predictions.export', { model: p.model, rows: 'all' }, `predictions-${p.model}.csv`)}
              >
                Download all logged readings (CSV)
              </button>
            </div>
          </>
        )}
      </Panel>
      {p && p.predictions > 0 && building && <BuildingPerformancePanel model={p.model} building={building} predictions={p.predictions} />}
      <LiveCard scores />
      {p && p.predictions > 0 && <Body p={p} />}
      {p && p.predictions > 0 && <FlagDriversPanel model={p.model} predictions={p.predictions} />}
      {p && p.predictions > 0 && <FleetPanel model={p.model} predictions={p.predictions} />}
    </div>
  );
}
