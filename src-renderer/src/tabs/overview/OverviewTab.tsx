import { MetricCard } from '../../components/MetricCard';
import { EmptyState, Panel } from '../../components/Panel';
import { useApp } from '../../state/store';

export function OverviewTab() {
  const setTab = useApp((s) => s.setTab);
  return (
    <div className="grid">
      <div className="metrics-row span-2" data-testid="overview-metrics">
        <MetricCard label="Health" value="—" detail="No model yet" testId="metric-health" />
        <MetricCard label="Drift score" value="—" detail="Needs scored data" testId="metric-drift" />
        <MetricCard label="p95 latency" value="—" detail="Needs scored data" testId="metric-latency" />
        <MetricCard label="Predictions" value="0" detail="Logged so far" testId="metric-predictions" />
      </div>
      <Panel title="Get started" className="span-2">
        <EmptyState
          title="Welcome to GreenLens"
          action={
            <button type="button" className="btn-primary" onClick={() => setTab('data')}>
              Go to Data
            </button>
          }
        >
          Start on the Data tab: generate a simulated building dataset or import a CSV of meter readings. Then train an anomaly model, score new
          readings, and this page will show health, drift, latency and what to do next.
        </EmptyState>
      </Panel>
    </div>
  );
}
