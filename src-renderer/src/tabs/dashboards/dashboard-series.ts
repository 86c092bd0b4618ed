import type { Series } from '../../../../src-main/contract/shared/data';
import type { DashboardChart } from '../../../../src-main/contract/shared/dashboards';
import { call } from '../../api/client';

/** One pinned chart's data: what the Performance or Drift tab computes for the same model and window. */
export async function chartSeries(c: DashboardChart): Promise<{ series: Series[]; time: boolean; note: string }> {
  if (c.metric === 'drifted-share') {
    const r = await call('drift.report', {
      model: c.model,
      current: { lastN: Math.max(10, c.window.lastN), scope: 'model' },
      chunkBy: 'auto',
    });
    const chunks = r.trend?.chunks ?? [];
    const time = chunks.some((k) => k.start !== null);
    return {
      series: [
        { name: 'drifted share', x: chunks.map((k) => (time ? k.start! : (k.rowStart ?? k.index))), y: chunks.map((k) => k.driftedShare) },
      ],
      time,
      note: `${r.current.rows.toLocaleString('en-US')} readings, data time`,
    };
  }
  const p = await call('monitoring.performance', { model: c.model, lastN: c.window.lastN });
  // Latency is judged by scoring time; counts and rates by the readings' own time (issue 9.4).
  if (c.metric !== 'anomaly-rate' && c.metric !== 'anomalies' && c.metric !== 'predictions') {
    const lat = p.latencyTrend.points;
    return {
      series: [{ name: c.metric, x: lat.map((q) => q.startMs), y: lat.map((q) => q.latencyP95Ms) }],
      time: true,
      note: `${p.window}, by scoring time (UTC)`,
    };
  }
  const metric = c.metric;
  const pts = p.trend.points;
  const x = pts.map((q) => q.startMs);
  const y = pts.map((q) =>
    metric === 'anomaly-rate' ? (q.predictions ? q.anomalies / q.predictions : 0) : metric === 'anomalies' ? q.anomalies : q.predictions,
  );
  return { series: [{ name: c.metric, x, y }], time: true, note: `${p.window}, by data time (UTC)` };
}
