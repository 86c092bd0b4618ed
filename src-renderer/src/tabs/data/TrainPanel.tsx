import { useState, type FormEvent } from 'react';
import type { DatasetInfo } from '../../../../src-main/contract/ops/data';
import { TRAIN } from '../../../../src-main/contract/shared/model';
import { EmptyState, Panel } from '../../components/Panel';
import { train, useModel } from '../../state/model';
import { useRegistry } from '../../state/registry';
import { useApp } from '../../state/store';
import { TrainResultCard } from './TrainResultCard';
import { clearRetrain, useLoop } from '../../state/loop';
import { RetrainNote, retrainFields } from './RetrainNote';

/** Isolation Forest parameters (ARCHITECTURE §5) for the current dataset; progress and Cancel come from the job tray. */
export function TrainPanel({ ds }: { ds: DatasetInfo | null }) {
  const [model, setModel] = useState(useRegistry.getState().model);
  const [trees, setTrees] = useState<number>(TRAIN.trees.default);
  const [sampleSize, setSampleSize] = useState<number>(TRAIN.sampleSize.default);
  const [auto, setAuto] = useState(false);
  // Shares are shown in percent.
  const [fraction, setFraction] = useState(TRAIN.contamination.default * 100);
  const [seed, setSeed] = useState<number>(TRAIN.seed.default);
  const [holdout, setHoldout] = useState(TRAIN.holdout.default * 100);
  // Wanted whenever there is an id column to scale within; a dataset without one trains on raw values.
  const [perId, setPerId] = useState(true);
  const busy = useApp((s) => Object.values(s.jobs).some((j) => j.op === 'model.train'));
  const result = useModel((s) => s.lastTrain);
  const retrain = useLoop((s) => s.retrain);

  if (!ds) {
    return (
      <Panel title="Train a model" testId="train-panel">
        <EmptyState title="Nothing to train on">
          Generate or import a dataset first; its feature columns become the model&apos;s inputs.
        </EmptyState>
      </Panel>
    );
  }
  const features = ds.columns.filter((c) => c.role === 'feature').map((c) => c.name);
  const hasLabel = ds.columns.some((c) => c.role === 'label');
  const idName = ds.columns.find((c) => c.role === 'id')?.name ?? null;
  const normalize = idName !== null && perId ? 'per-id' : 'none';
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void train({
      // This form sets a forest's parameters; the contextual detector is trained from the CLI for now.
      algorithm: 'isolation-forest',
      datasetId: ds.id,
      model,
      trees,
      sampleSize,
      contamination: auto ? 'auto' : fraction / 100,
      seed,
      holdout: holdout / 100,
      normalize,
      ...retrainFields(retrain),
    }).then(() => {
      // Done once the version it asked for exists (a failed training keeps the form filled).
      if (retrain && useModel.getState().lastTrain?.versionMeta.lineage?.reason === retrain.reason) clearRetrain();
    });
  };
  return (
    <Panel title="Train a model" testId="train-panel">
      <p className="muted small">
        On <strong>{ds.name}</strong>: {features.length} features ({features.join(', ')})
        {hasLabel ? '; the label is used for metrics only.' : '.'}
      </p>
      {retrain && <RetrainNote action={retrain} />}
      <form className="form-grid" onSubmit={submit} aria-label="Train a model">
        <label>
          Model name
          <input value={model} onChange={(e) => setModel(e.target.value)} pattern="[a-z0-9][a-z0-9._\-]{0,63}" required />
        </label>
        <label>
          Trees
          <input
            type="number"
            min={TRAIN.trees.min}
            max={TRAIN.trees.max}
            value={trees}
            onChange={(e) => setTrees(e.target.valueAsNumber)}
            required
          />
        </label>
        <label>
          Subsample (rows per tree)
          <input
            type="number"
            min={TRAIN.sampleSize.min}
            max={TRAIN.sampleSize.max}
            value={sampleSize}
            onChange={(e) => setSampleSize(e.target.valueAsNumber)}
            required
          />
        </label>
        <label>
          Contamination
          <select value={auto ? 'auto' : 'fraction'} onChange={(e) => setAuto(e.target.value === 'auto')}>
            <option value="auto">auto (score &gt; 0.5)</option>
            <option value="fraction">expected share</option>
          </select>
        </label>
        <label>
          Expected anomalies (%)
          <input
            type="number"
            min={0.01}
            max={TRAIN.contamination.max * 100}
            step={0.01}
            value={fraction}
            disabled={auto}
            onChange={(e) => setFraction(e.target.valueAsNumber)}
          />
        </label>
        <label>
          Seed
          <input
            type="number"
            min={TRAIN.seed.min}
            max={TRAIN.seed.max}
            value={seed}
            onChange={(e) => setSeed(e.target.valueAsNumber)}
            required
          />
        </label>
        <label>
          Holdout for metrics (%)
          <input
            type="number"
            min={TRAIN.holdout.min * 100}
            max={TRAIN.holdout.max * 100}
            value={holdout}
            disabled={!hasLabel}
            onChange={(e) => setHoldout(e.target.valueAsNumber)}
          />
        </label>
        <div style={{ gridColumn: '1 / -1' }}>
          <label style={{ flexDirection: 'row', alignItems: 'center', gap: 6 }}>
            <input
              type="checkbox"
              checked={normalize === 'per-id'}
              disabled={idName === null}
              onChange={(e) => setPerId(e.target.checked)}
            />
            Normalise per building (id column{idName ? ` ${idName}` : ''})
          </label>
          <p className="muted small" style={{ margin: '2px 0 0' }}>
            {idName
              ? 'Scales each feature by its building’s median and spread, so a reading is judged against its own building, not the biggest one.'
              : 'No id column in this dataset: every row is judged against all the data.'}
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn-primary" disabled={busy || features.length === 0}>
            {busy ? 'Training…' : 'Train model'}
          </button>
        </div>
      </form>
      {result && <TrainResultCard result={result} />}
    </Panel>
  );
}
