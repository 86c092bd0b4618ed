import type { LiveStatusInfo } from '../../../src-main/contract/shared/live';
import { isLiveActive, useLive } from '../state/live';
import { TimeSeriesChart } from './charts';
import { fmtInt, fmtNum, fmtPct } from './format';
import { MetricCard } from './MetricCard';
import { Panel } from './Panel';

const STATE_WORD: Record<LiveStatusInfo['state'], string> = {
  stopped: 'Stopped',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  replaying: 'Replaying',
  finished: 'Replay finished',
  failed: 'Failed',
};

export function liveSourceText(s: LiveStatusInfo): string {
  if (!s.source) return 'No live source';
  return s.source.kind === 'mqtt'
    ? `${s.source.topic} on ${s.source.url}`
    : `replay of ${s.source.dataset} at ${fmtNum(s.source.speed, 0)}×`;
}

/**
 * The live view (Overview and Performance): the rolling window of the app's
 * live source, redrawn when a status event arrives (at most 4 a second).
 * `scores` adds the chart of the latest scores (Performance).
 */
export function LiveCard({ scores = false }: { scores?: boolean }) {
  const s = useLive((x) => x.status);
  if (!isLiveActive(s)) return null;
  const w = s.window;
  const perSecond = { name: 'readings/s', x: w.perSecond.map((p) => p.t * 1000), y: w.perSecond.map((p) => p.readings) };
  const flagged = { name: 'anomalies/s', x: w.perSecond.map((p) => p.t * 1000), y: w.perSecond.map((p) => p.anomalies) };
  return (
    <Panel title={`Live · ${STATE_WORD[s.state]}`} className="span-2" testId="live-card">
      <p className="small muted" data-testid="live-source">
        {liveSourceText(s)}
        {s.model ? ` · scored with ${s.model} ${s.version ?? ''}` : ''}
      </p>
      <div className="metrics-row">
        <MetricCard
          label={`Readings (last ${Math.round(w.seconds / 60)} min)`}
          value={<span data-testid="live-count">{fmtInt(w.readings)}</span>}
          detail={`${fmtInt(s.scored)} since start · ${fmtNum(s.readingsPerSecond, 1)}/s`}
        />
        <MetricCard
          label="Live anomaly rate"
          value={<span data-testid="live-rate">{w.readings ? fmtPct(w.anomalyRate) : '—'}</span>}
          status={w.readings === 0 ? 'neutral' : w.anomalyRate > 0.1 ? 'critical' : w.anomalyRate > 0.03 ? 'warning' : 'healthy'}
          detail={`${fmtInt(w.anomalies)} flagged in the window`}
        />
        <MetricCard
          label="Malformed"
          value={<span data-testid="live-malformed">{fmtInt(s.malformed)}</span>}
          status={s.malformed > 0 ? 'warning' : 'neutral'}
          detail="payloads with a reading skipped"
        />
      </div>
      {w.perSecond.length > 1 && <TimeSeriesChart series={[perSecond, flagged]} height={180} testId="live-rate-chart" />}
      {scores && w.recentScores.length > 1 && (
        <TimeSeriesChart
          series={[{ name: 'anomaly score', x: w.recentScores.map((_, i) => i), y: w.recentScores }]}
          time={false}
          height={180}
          testId="live-score-chart"
        />
      )}
      {s.message && <p className="small muted">{s.message}</p>}
    </Panel>
  );
}
