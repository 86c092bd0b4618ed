import type { PerformanceView } from '../../../../src-main/contract/ops/monitoring';
import type { Series } from '../../../../src-main/contract/ops/data';
import { TimeSeriesChart } from '../../components/charts';
import { Panel } from '../../components/Panel';
import { HOUR_MS } from '../../../../src-main/contract/shared/time';

/** Axis names: counts follow the readings' own timestamps, latency when the scoring ran; both shown in UTC. */
export const DATA_TIME_AXIS = 'data time (UTC)';
export const SCORING_TIME_AXIS = 'scoring time (UTC)';

/** Hourly series from the worker's trends (already ≤ 2,000 buckets): counts by data time, latency by scoring time. */
export function trendSeries(perf: PerformanceView): { counts: Series[]; latency: Series[] } {
  const x = perf.trend.points.map((p) => p.startMs);
  const lx = perf.latencyTrend.points.map((p) => p.startMs);
  return {
    counts: [
      { name: 'predictions', x, y: perf.trend.points.map((p) => p.predictions) },
      { name: 'anomalies', x, y: perf.trend.points.map((p) => p.anomalies) },
    ],
    latency: [
      { name: 'p95 ms', x: lx, y: perf.latencyTrend.points.map((p) => p.latencyP95Ms) },
      { name: 'mean ms', x: lx, y: perf.latencyTrend.points.map((p) => p.latencyMeanMs) },
    ],
  };
}

export function bucketLabel(trend: { bucketMs: number }): string {
  const hours = Math.round(trend.bucketMs / HOUR_MS);
  return hours === 1 ? 'per hour' : `per ${hours} hours`;
}

export function OverviewTrends({ perf }: { perf: PerformanceView }) {
  const s = trendSeries(perf);
  return (
    <>
      <Panel title={`Predictions and anomalies ${bucketLabel(perf.trend)}, by the readings' time`}>
        <TimeSeriesChart series={s.counts} height={180} xLabel={DATA_TIME_AXIS} testId="overview-counts-chart" />
      </Panel>
      <Panel title={`Latency ${bucketLabel(perf.latencyTrend)}, by scoring time`}>
        <TimeSeriesChart
          series={s.latency.slice(0, 1)}
          height={180}
          yLabel="ms"
          xLabel={SCORING_TIME_AXIS}
          testId="overview-latency-chart"
        />
      </Panel>
    </>
  );
}
