import { EmptyState, Panel } from '../../components/Panel';

export function PerformanceTab() {
  return (
    <div className="grid">
      <Panel title="Performance" className="span-2">
        <EmptyState title="No predictions logged yet">
          Every scoring request is timed and logged. Score readings with a trained model (Data tab or `greenlens score`) to see latency percentiles,
          throughput, anomaly rate and hourly trends.
        </EmptyState>
      </Panel>
    </div>
  );
}
