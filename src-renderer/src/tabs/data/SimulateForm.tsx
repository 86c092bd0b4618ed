import { useState, type FormEvent } from 'react';
import type { DriftScenario } from '../../../../src-main/contract/ops/data';
import { runJob, useApp } from '../../state/store';

const SCENARIOS: { value: DriftScenario; label: string }[] = [
  { value: 'none', label: 'None (baseline)' },
  { value: 'heatwave', label: 'Heatwave' },
  { value: 'equipment', label: 'Equipment change' },
  { value: 'sensor-degradation', label: 'Sensor degradation' },
];

/** The building simulator's form: a seeded, reproducible dataset in one click. */
export function SimulateForm() {
  const [buildings, setBuildings] = useState(3);
  const [days, setDays] = useState(30);
  const [seed, setSeed] = useState(42);
  const [rate, setRate] = useState(1);
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
        <input type="number" min={1} max={500} value={buildings} onChange={(e) => setBuildings(e.target.valueAsNumber)} required />
      </label>
      <label>
        Days
        <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.valueAsNumber)} required />
      </label>
      <label>
        Seed
        <input type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.valueAsNumber)} required />
      </label>
      <label>
        Anomaly rate (%)
        <input type="number" min={0} max={50} step={0.1} value={rate} onChange={(e) => setRate(e.target.valueAsNumber)} required />
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
