import { EmptyState, Panel } from '../../components/Panel';
import { setIncludeArchived, setModel, useRegistry } from '../../state/registry';
import { useApp } from '../../state/store';
import { AbPanel } from './AbPanel';
import { ComparePanel } from './ComparePanel';
import { ContextualPanel } from './ContextualPanel';
import { DeploymentTimeline } from './DeploymentTimeline';
import { ImportancePanel } from './ImportancePanel';
import { RegistryPanel } from './RegistryPanel';
import { VersionDetail } from './VersionDetail';
import { VersionsTable } from './VersionsTable';
import './models.css';

function Toolbar() {
  const models = useRegistry((s) => s.models);
  const model = useRegistry((s) => s.model);
  const includeArchived = useRegistry((s) => s.includeArchived);
  return (
    <>
      {models.length > 1 && (
        <label className="inline-field">
          Model
          <select aria-label="Selected model" value={model} onChange={(e) => setModel(e.target.value)}>
            {models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="inline-field">
        <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} /> Show archived
      </label>
    </>
  );
}

/** The registry's versions: table, detail, comparison, promote/rollback, history, verify and share. */
export function ModelsTab() {
  const list = useRegistry((s) => s.list);
  const selected = useRegistry((s) => s.selected);
  const setTab = useApp((s) => s.setTab);
  const versions = list?.versions ?? [];
  const current = versions.find((v) => v.version === selected) ?? null;
  return (
    <div className="grid models-tab">
      <Panel
        title={list ? `Model versions · ${list.model}` : 'Model versions'}
        className="span-2"
        actions={<Toolbar />}
        testId="versions-panel"
      >
        {list === null ? (
          <p className="muted">Loading…</p>
        ) : versions.length === 0 ? (
          <EmptyState
            title="No model versions yet"
            action={
              <button type="button" className="btn-primary" onClick={() => setTab('data')}>
                Go to Data
              </button>
            }
          >
            Train a model on the Data tab: each training run registers a new immutable version here. Then compare versions, promote one to
            production and roll back if it misbehaves.
          </EmptyState>
        ) : (
          <VersionsTable versions={versions} />
        )}
      </Panel>
      {current && list ? (
        <VersionDetail version={current} aliases={list.aliases} />
      ) : (
        versions.length > 0 && <Panel title="Version">Select a version in the table.</Panel>
      )}
      {current?.params.algorithm === 'contextual' && <ContextualPanel version={current} />}
      {current && <ImportancePanel versions={versions} current={current} />}
      {versions.length > 0 && <ComparePanel />}
      {versions.length > 0 && <AbPanel />}
      <DeploymentTimeline />
      <RegistryPanel />
    </div>
  );
}
