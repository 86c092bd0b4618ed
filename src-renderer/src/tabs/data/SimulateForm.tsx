import { useState, type FormEvent } from 'react';
import { SIMULATE, SIMULATION_PROFILES, type DriftScenario } from '../../../../src-main/contract/shared/data';

type SimulationProfile = (typeof SIMULATION_PROFILES)[number];
const PROFILE_LABELS: Record<SimulationProfile, string> = {
  basic: 'Basic: offices',
  year: 'Year: kinds, seasons, faults',
};
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
  // 'year': whole years of offices, schools, shops and hospitals with seasons and typed faults (the contextual detector's data).
  const [profile, setProfile] = useState<SimulationProfile>('basic');
  const [years, setYears] = useState(1);
  const year = profile === 'year';
  const busy = useApp((s) => Object.values(s.jobs).some((j) => j.op === 'data.simulate'));

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const shape = year ? { profile, years } : { profile, days, drift };
    const ds = await runJob('data.simulate', { buildings, seed, anomalyRate: rate / 100, ...shape }, 'Generating data');
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
        Profile
        <select value={profile} onChange={(e) => setProfile(e.target.value as SimulationProfile)}>
          {SIMULATION_PROFILES.map((p) => (
            <option key={p} value={p}>
              {PROFILE_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      {year ? (
        <label>
          Years
          <input type="number" min={1} max={10} value={years} onChange={(e) => setYears(e.target.valueAsNumber)} required />
        </label>
      ) : (
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
      )}
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
        <select value={year ? 'none' : drift} disabled={year} onChange={(e) => setDrift(e.target.value as DriftScenario)}>
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
