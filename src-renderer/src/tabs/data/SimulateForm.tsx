import { useState, type FormEvent } from 'react';
import { SIMULATE, type DriftScenario } from '../../../../src-main/contract/shared/data';
import { runJob, useApp } from '../../state/store';

const SCENARIOS: { value: DriftScenario; label: string }[] = [
  { value: 'none', label: 'None (baseline)' },
  { value: 'heatwave', label: 'Heatwave' },
  { value: 'equipment', label: 'Equipment change' },
  { value: 'sensor-degradation', label: 'Sensor degradation' },
];

/** The building simulator's form: a seeded, reproducible dataset in one click. */
export function SimulateForm() {
  const [buildings, setBuildings] = useState<number>(SIMULATE.buildings.default);
  const [days, setDays] = useState<number>(SIMULATE.days.default);
  const [seed, setSeed] = useState<number>(SIMULATE.seed.default);
  // In percent.
  const [rate, setRate] = useState(SIMULATE.anomalyRate.default * 100);
  const [drift, setDrift] = useState<DriftScenario>('none');
  const busy = useApp((s) => Object.values(s.jobs).some((j) => j.op === 'data.simulate'));

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const ds = await runJob('data.simulate', { buildings, days, seed, anomalyRate: rate / 100, drift }, 'Generating data');
    if (ds) useApp.getState().setCurrentDataset(ds.id);
  };

  return (
    <form className="form-grid" onSubmit={submit} aria-label="Generate building data">
      <label>
        Buildings
        <input
          type="number"
          min={SIMULATE.buildings.min}
          max={SIMULATE.buildings.max}
          value={buildings}
          onChange={(e) => setBuildings(e.target.valueAsNumber)}
          required
        />
      </label>
      <label>
        Days
        <input
          type="number"
          min={SIMULATE.days.min}
          max={SIMULATE.days.max}
          value={days}
          onChange={(e) => setDays(e.target.valueAsNumber)}
          required
        />
      </label>
      <label>
        Seed
        <input
          type="number"
          min={SIMULATE.seed.min}
          max={SIMULATE.seed.max}
          value={seed}
          onChange={(e) => setSeed(e.target.valueAsNumber)}
          required
        />
      </label>
      <label>
        Anomaly rate (%)
        <input
          type="number"
          min={SIMULATE.anomalyRate.min * 100}
          max={SIMULATE.anomalyRate.max * 100}
          step={0.1}
          value={rate}
          onChange={(e) => setRate(e.target.valueAsNumber)}
          required
        />
      </label>
      <label>
        Drift scenario
        <select value={drift} onChange={(e) => setDrift(e.target.value as DriftScenario)}>
          {SCENARIOS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <div className="form-actions">
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? 'Generating…' : 'Generate data'}
        </button>
      </div>
    </form>
  );
}
