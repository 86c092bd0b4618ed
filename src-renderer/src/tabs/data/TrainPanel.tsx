import { useState, type FormEvent } from 'react';
import { IncludeFeedbackField } from './IncludeFeedbackField';
import type { DatasetInfo } from '../../../../src-main/contract/ops/data';
import { TRAIN, type Algorithm } from '../../../../src-main/contract/shared/model';
import { EmptyState, Panel } from '../../components/Panel';
import { train, useModel } from '../../state/model';
import { useRegistry } from '../../state/registry';
import { useApp } from '../../state/store';
import { TrainResultCard } from './TrainResultCard';
import { clearRetrain, useLoop } from '../../state/loop';
import { RetrainNote, retrainFields } from './RetrainNote';

/** The stuck rule's default: a sensor repeating one value this many hours (the op schema's default). */
const STUCK_HOURS = { min: 2, max: 168, default: 6 } as const;

/**
 * The detector and its parameters (ARCHITECTURE §5) for the current dataset; progress and Cancel come from the job tray.
 * Left on its recommended choice, the form names no algorithm: the backend picks the contextual detector on timestamped
 * data and says why when it falls back to the forest (the note shows under the result).
 */
export function TrainPanel({ ds }: { ds: DatasetInfo | null }) {
  const [model, setModel] = useState(useRegistry.getState().model);
  // null: the recommended choice for this dataset (not sent, so the backend's reasons apply).
  const [picked, setPicked] = useState<Algorithm | null>(null);
  const [stuckHours, setStuckHours] = useState<number>(STUCK_HOURS.default);
  // Empty: the backend's choice (every feature whose name looks like energy).
  const [meters, setMeters] = useState<string[]>([]);
  const [trees, setTrees] = useState<number>(TRAIN.trees.default);
  const [sampleSize, setSampleSize] = useState<number>(TRAIN.sampleSize.default);
  const [auto, setAuto] = useState(false);
  // Shares are shown in percent.
  const [fraction, setFraction] = useState(TRAIN.contamination.default * 100);
  const [seed, setSeed] = useState<number>(TRAIN.seed.default);
  const [holdout, setHoldout] = useState(TRAIN.holdout.default * 100);
  // Wanted whenever there is an id column to scale within; a dataset without one trains on raw values.
  const [perId, setPerId] = useState(true);
  const [includeFeedback, setIncludeFeedback] = useState(false);
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
  const timeName = ds.columns.find((c) => c.role === 'timestamp' && c.kind === 'time')?.name ?? null;
  // A choice made for another dataset may not fit this one: without a timestamp only the forest trains.
  const algorithm: Algorithm = timeName === null ? 'isolation-forest' : (picked ?? 'contextual');
  const contextual = algorithm === 'contextual';
  const chosenMeters = meters.filter((m) => features.includes(m));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const common = {
      datasetId: ds.id,
      model,
      seed,
      holdout: holdout / 100,
      sampleSize,
      ...retrainFields(retrain),
      ...(includeFeedback ? { includeFeedback } : {}),
    };
    void train(
      contextual
        ? {
            ...common,
            ...(picked ? { algorithm } : {}),
            stuckHours,
            ...(chosenMeters.length ? { meters: chosenMeters } : {}),
          }
        : {
            ...common,
            ...(picked ? { algorithm } : {}),
            trees,
            contamination: auto ? 'auto' : fraction / 100,
            normalize,
          },
    ).then(() => {
      // Done once the version it asked for exists (a failed training keeps the form filled).
      if (retrain && useModel.getState().lastTrain?.versionMeta.lineage?.reason === retrain.reason) clearRetrain();
    });
  };
  const toggleMeter = (name: string, on: boolean): void =>
    setMeters((list) => (on ? [...list.filter((m) => m !== name), name] : list.filter((m) => m !== name)));
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
        <label className="span-all">
          Algorithm
          <select
            value={algorithm}
            onChange={(e) => setPicked(e.target.value as Algorithm)}
            aria-describedby="algorithm-hint"
            data-testid="train-algorithm"
          >
            <option value="contextual" disabled={timeName === null}>
              Contextual — recommended for timestamped readings
            </option>
            <option value="isolation-forest">Isolation Forest</option>
          </select>
        </label>
        <p id="algorithm-hint" className="muted small form-hint" data-testid="algorithm-hint">
          {timeName === null
            ? 'Contextual is unavailable: this dataset has no timestamp column (mark one when importing). The Isolation Forest judges each reading on its own.'
            : contextual
              ? `Baselines each building's meters by hour of the week and outdoor temperature (from ${timeName}), adds rules for stuck sensors, dropouts and jumps, and combines them with a forest on the residuals into one calibrated score (flagged above 0.5). ${picked ? '' : 'Buildings with under 28 days of history use the fleet baseline; with no energy meter or no such history the backend trains an Isolation Forest and says why.'}`
              : 'Judges each reading on its own, without its hour, weekday or weather: seasons can look anomalous. Its parameters follow.'}
        </p>
        {contextual && (
          <>
            <label>
              Stuck sensor after (hours)
              <input
                type="number"
                min={STUCK_HOURS.min}
                max={STUCK_HOURS.max}
                value={stuckHours}
                onChange={(e) => setStuckHours(e.target.valueAsNumber)}
                title="A sensor repeating the same value this many hours is flagged as stuck."
                required
              />
            </label>
            <fieldset className="meter-picks" data-testid="train-meters">
              <legend>Meters to baseline</legend>
              {features.map((f) => (
                <label key={f}>
                  <input type="checkbox" checked={chosenMeters.includes(f)} onChange={(e) => toggleMeter(f, e.target.checked)} />
                  {f}
                </label>
              ))}
              <p className="muted small form-hint">None ticked: every feature whose name looks like energy (kW, kWh, power, load…).</p>
            </fieldset>
          </>
        )}
        {!contextual && (
          <>
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
          </>
        )}
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
        {!contextual && (
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
        )}
        <IncludeFeedbackField checked={includeFeedback} contextual={contextual} onChange={setIncludeFeedback} />
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
