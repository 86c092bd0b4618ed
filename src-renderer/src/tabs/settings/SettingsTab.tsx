import { useEffect, useState, type FormEvent } from 'react';
import type { Settings } from '../../../../src-main/contract/settings';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../../../src-main/contract/shared/monitoring';
import { Panel } from '../../components/Panel';
import { tryCall, useApp } from '../../state/store';
import { PredictionLogPanel } from './PredictionLogPanel';

type Draft = Pick<Settings, 'thresholds' | 'monitoring' | 'theme'>;

function NumberField(props: {
  label: string;
  value: number;
  step?: number;
  min?: number;
  max?: number;
  onChange: (v: number) => void;
  help?: string;
}) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        value={props.value}
        step={props.step ?? 'any'}
        min={props.min}
        max={props.max}
        onChange={(e) => props.onChange(e.target.valueAsNumber)}
        required
      />
      {props.help && <span className="muted small">{props.help}</span>}
    </label>
  );
}

/** Thresholds, correction, window and retention, theme: validated by the host on save. */
export function SettingsTab() {
  const settings = useApp((s) => s.settings);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings) setDraft({ thresholds: settings.thresholds, monitoring: settings.monitoring, theme: settings.theme });
  }, [settings]);
  if (!draft) return <div className="grid" />;
  const t = draft.thresholds;
  const m = draft.monitoring;
  const setT = (patch: Partial<Draft['thresholds']>): void => setDraft({ ...draft, thresholds: { ...t, ...patch } });
  const setM = (patch: Partial<Draft['monitoring']>): void => setDraft({ ...draft, monitoring: { ...m, ...patch } });
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const next = await tryCall('settings.set', draft, 'Saving settings');
    if (next) {
      useApp.setState({ settings: next });
      setSaved(true);
      setTimeout(() => setSaved(false), 2000);
    }
  };
  return (
    <form className="grid" onSubmit={save} aria-label="Settings">
      <Panel title="Drift thresholds">
        <div className="form-grid">
          <NumberField
            label="PSI threshold"
            value={t.psi}
            step={0.01}
            min={0}
            onChange={(psi) => setT({ psi })}
            help={`Default ${DEFAULT_DRIFT_THRESHOLDS.psi}`}
          />
          <NumberField
            label="KS p-value threshold"
            value={t.ksPValue}
            step={0.001}
            min={0}
            max={1}
            onChange={(ksPValue) => setT({ ksPValue })}
            help={`Default ${DEFAULT_DRIFT_THRESHOLDS.ksPValue}`}
          />
          <NumberField
            label="Effect-size floor (σ)"
            value={t.effectSize}
            step={0.01}
            min={0}
            onChange={(effectSize) => setT({ effectSize })}
            help="KS counts only with a shift this large"
          />
          <label>
            Multiple-testing correction
            <select value={t.correction} onChange={(e) => setT({ correction: e.target.value as Draft['thresholds']['correction'] })}>
              <option value="none">None</option>
              <option value="bonferroni">Bonferroni</option>
              <option value="benjamini-hochberg">Benjamini–Hochberg</option>
            </select>
          </label>
          <NumberField
            label="Dataset drift share"
            value={t.datasetDriftShare}
            step={0.05}
            min={0}
            max={1}
            onChange={(datasetDriftShare) => setT({ datasetDriftShare })}
          />
        </div>
      </Panel>
      <Panel title="Performance thresholds">
        <div className="form-grid">
          <NumberField
            label="Request latency p95 (ms, online requests)"
            value={t.latencyP95Ms}
            min={0}
            onChange={(latencyP95Ms) => setT({ latencyP95Ms })}
          />
          <NumberField
            label="Batch latency p95 (ms per reading)"
            value={t.readingLatencyP95Ms}
            min={0}
            onChange={(readingLatencyP95Ms) => setT({ readingLatencyP95Ms })}
          />
          <NumberField
            label="Anomaly rate"
            value={t.anomalyRate}
            step={0.01}
            min={0}
            max={1}
            onChange={(anomalyRate) => setT({ anomalyRate })}
          />
        </div>
      </Panel>
      <Panel title="Window and retention">
        <div className="form-grid">
          <NumberField
            label="Hot window (predictions)"
            value={m.hotWindow}
            step={1}
            min={100}
            onChange={(hotWindow) => setM({ hotWindow })}
            help="Kept for fast reads; older segments stay on disk until pruned"
          />
          <NumberField
            label="Retention (days, 0 = keep)"
            value={m.retentionDays}
            step={1}
            min={0}
            onChange={(retentionDays) => setM({ retentionDays })}
          />
          <NumberField
            label="Drift window (last N predictions)"
            value={m.driftWindow}
            step={1}
            min={10}
            onChange={(driftWindow) => setM({ driftWindow })}
            help="Reaches back a week, every k-th kept, when they span less"
          />
        </div>
      </Panel>
      <PredictionLogPanel />
      <Panel title="Appearance">
        <div className="form-grid">
          <label>
            Theme
            <select value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value as Draft['theme'] })}>
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </div>
      </Panel>
      <div className="span-2 form-actions">
        <button type="submit" className="btn-primary">
          Save settings
        </button>
        {saved && (
          <span role="status" className="muted">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
