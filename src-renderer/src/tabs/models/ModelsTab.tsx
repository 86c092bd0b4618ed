import { EmptyState, Panel } from '../../components/Panel';

export function ModelsTab() {
  return (
    <div className="grid">
      <Panel title="Model versions" className="span-2">
        <EmptyState title="No model versions yet">
          Each training run registers a new immutable version in the open registry. Train one from the Data tab; then compare versions, promote one
          to production and roll back here.
        </EmptyState>
      </Panel>
    </div>
  );
}
