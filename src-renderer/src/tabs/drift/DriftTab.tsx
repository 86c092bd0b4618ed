import { EmptyState, Panel } from '../../components/Panel';

export function DriftTab() {
  return (
    <div className="grid">
      <Panel title="Data drift" className="span-2">
        <EmptyState title="No drift report yet">
          Drift compares the data your model was trained on with the readings it sees now. Train a model on the Data tab, then score new readings:
          the feature table, PSI chart and distribution overlays appear here.
        </EmptyState>
      </Panel>
    </div>
  );
}
