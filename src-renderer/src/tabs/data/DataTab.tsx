import type { ImportReportInfo } from '../../../../src-main/contract/ops/data';
import { EmptyState, Panel } from '../../components/Panel';
import { useModel } from '../../state/model';
import { useApp } from '../../state/store';
import { BuildingPanel } from './BuildingPanel';
import { DatasetList } from './DatasetList';
import { DatasetView } from './DatasetView';
import { ImportPanel } from './ImportPanel';
import { ImportPreview } from './ImportPreview';
import { LivePanel } from './LivePanel';
import { ScorePanel } from './ScorePanel';
import { SimulateForm } from './SimulateForm';
import { TrainPanel } from './TrainPanel';

/** The workflow top to bottom: get data (generate or import), train, score and explain, then look at the data itself. */
export function DataTab() {
  const datasets = useApp((s) => s.datasets);
  const currentId = useApp((s) => s.currentDatasetId);
  const draft = useModel((s) => s.draft);
  const current = datasets.find((d) => d.id === currentId) ?? datasets.at(-1) ?? null;
  return (
    <div className="grid">
      <Panel title="Generate building data" testId="simulate-panel">
        <SimulateForm />
      </Panel>
      <ImportPanel />
      {draft && <ImportPreview draft={draft} />}
      <Panel title="Datasets">
        {datasets.length === 0 ? (
          <EmptyState title="No data yet">
            Generate a simulated building dataset with the form, or import a CSV. Every dataset is kept in the open registry and appears
            here.
          </EmptyState>
        ) : (
          <DatasetList datasets={datasets} currentId={current?.id ?? null} />
        )}
        {current?.import && <ImportNotes ds={current.import} />}
      </Panel>
      <TrainPanel ds={current} />
      <ScorePanel ds={current} />
      <LivePanel datasets={datasets} current={current} />
      {current && <BuildingPanel ds={current} />}
      {current && <DatasetView ds={current} />}
    </div>
  );
}

/** What an import dropped or filled, so nobody trains on data they did not expect. */
function ImportNotes({ ds }: { ds: ImportReportInfo }) {
  const imputed = Object.values(ds.imputed).reduce((a, b) => a + b, 0);
  const notes = [
    ds.reading ? `Read ${ds.file.split(/[\\/]/).pop() ?? ds.file}: ${ds.reading.notes.join('; ')}` : null,
    ds.droppedRows ? `${ds.droppedRows.toLocaleString('en-US')} rows dropped (missing feature values)` : null,
    imputed ? `${imputed.toLocaleString('en-US')} cells filled (${ds.missingPolicy})` : null,
    ds.droppedColumns.length ? `not imported: ${ds.droppedColumns.join(', ')}` : null,
    ...ds.warnings,
  ].filter((n): n is string => n !== null);
  if (!notes.length) return null;
  return (
    <ul className="small muted" aria-label="Import notes" data-testid="import-notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}
