import type { PerformanceView } from '../../../../src-main/contract/ops/monitoring';
import type { Series } from '../../../../src-main/contract/ops/data';
import { TimeSeriesChart } from '../../components/charts';
import { Panel } from '../../components/Panel';

/** Hourly series from the worker's trend (already ≤ 2,000 buckets). */
export function trendSeries(perf: PerformanceView): { counts: Series[]; latency: Series[] } {
  const x = perf.trend.points.map((p) => p.startMs);
  return {
    counts: [
      { name: 'predictions', x, y: perf.trend.points.map((p) => p.predictions) },
      { name: 'anomalies', x, y: perf.trend.points.map((p) => p.anomalies) },
    ],
    latency: [
      { name: 'p95 ms', x, y: perf.trend.points.map((p) => p.latencyP95Ms) },
      { name: 'mean ms', x, y: perf.trend.points.map((p) => p.latencyMeanMs) },
    ],
  };
}

function bucketLabel(perf: PerformanceView): string {
  const hours = Math.round(perf.trend.bucketMs / 3_600_000);
  return hours === 1 ? 'per hour' : `per ${hours} hours`;
}

export function OverviewTrends({ perf }: { perf: PerformanceView }) {
  const s = trendSeries(perf);
  return (
    <>
      <Panel title={`Predictions and anomalies ${bucketLabel(perf)}`}>
        <TimeSeriesChart series={s.counts} height={180} testId="overview-counts-chart" />
      </Panel>
      <Panel title={`Latency ${bucketLabel(perf)}`}>
        <TimeSeriesChart series={s.latency.slice(0, 1)} height={180} yLabel="ms" testId="overview-latency-chart" />
      </Panel>
    </>
  );
}
