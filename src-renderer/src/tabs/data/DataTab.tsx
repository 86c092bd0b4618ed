import { EmptyState, Panel } from '../../components/Panel';
import { useApp } from '../../state/store';
import { DatasetView } from './DatasetView';
import { SimulateForm } from './SimulateForm';

export function DataTab() {
  const datasets = useApp((s) => s.datasets);
  const currentId = useApp((s) => s.currentDatasetId);
  const setCurrent = useApp((s) => s.setCurrentDataset);
  const current = datasets.find((d) => d.id === currentId) ?? datasets.at(-1) ?? null;
  return (
    <div className="grid">
      <Panel title="Generate building data" testId="simulate-panel">
        <SimulateForm />
      </Panel>
      <Panel title="Datasets">
        {datasets.length === 0 ? (
          <EmptyState title="No data yet">
            Generate a simulated building dataset with the form, or import a CSV. Every dataset you load appears here.
          </EmptyState>
        ) : (
          <ul className="list" aria-label="Loaded datasets">
            {datasets.map((d) => (
              <li key={d.id}>
                <button type="button" className={`list-item ${d.id === current?.id ? 'selected' : ''}`} onClick={() => setCurrent(d.id)}>
                  <strong>{d.name}</strong> <span className="muted small">{d.rows.toLocaleString('en-US')} rows · {d.source}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      {current && <DatasetView ds={current} />}
    </div>
  );
}
