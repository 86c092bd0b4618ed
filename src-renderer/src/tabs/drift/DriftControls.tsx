import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../../api/client';
import type { DriftRequest, DriftWindow } from '../../state/monitoring';
import { useRegistry } from '../../state/registry';
import { useApp } from '../../state/store';
import { DAY_MS } from '../../../../src-main/contract/shared/time';

type Kind = DriftWindow['kind'];

/**
 * datetime-local value ↔ epoch ms, in UTC: the range is in data time (the
 * readings' own timestamps), which the charts show in UTC too; a local-time
 * picker chose a different window than the axis showed.
 */
const toUtcInput = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
const fromUtcInput = (s: string): number => Date.parse(s.length === 16 ? `${s}:00Z` : `${s}Z`);

/** Why a From/To pair cannot be checked, in the form's words; null when it can. */
export function checkRange(from: string, to: string): string | null {
  const a = fromUtcInput(from);
  const b = fromUtcInput(to);
  if (!from || Number.isNaN(a)) return 'Enter a start date and time.';
  if (!to || Number.isNaN(b)) return 'Enter an end date and time.';
  if (a >= b) return '"From" must be before "To": the range is reversed or empty.';
  return null;
}

/**
 * What to compare: the current window (last N predictions, a time range of
 * predictions, or a loaded dataset) against a version's training profile.
 */
export function DriftControls(props: {
  initial: DriftRequest;
  currentVersion: string;
  defaultRange: { fromMs: number; toMs: number } | null;
  running: boolean;
  onRun: (req: DriftRequest) => void;
}) {
  const datasets = useApp((s) => s.datasets);
  const [kind, setKind] = useState<Kind>(props.initial.window.kind);
  const [n, setN] = useState(props.initial.window.kind === 'lastN' ? props.initial.window.n : 10_000);
  const [from, setFrom] = useState(toUtcInput(props.defaultRange?.fromMs ?? Date.now() - DAY_MS));
  const [to, setTo] = useState(toUtcInput(props.defaultRange?.toMs ?? Date.now()));
  const [datasetId, setDatasetId] = useState(
    props.initial.window.kind === 'dataset' ? props.initial.window.datasetId : (datasets.at(-1)?.id ?? ''),
  );
  const [version, setVersion] = useState(props.initial.version ?? '');
  const [chunkBy, setChunkBy] = useState<DriftRequest['chunkBy']>(props.initial.chunkBy);
  const [versions, setVersions] = useState<string[]>([]);
  // Checked here, before any request: the server's schema error names fields a person never saw.
  const rangeError = kind === 'range' ? checkRange(from, to) : null;
  useEffect(() => {
    // The version list is a convenience; without it the current version is still offered.
    call('versions.list', { model: useRegistry.getState().model })
      .then((r) => setVersions(r.versions.map((v) => v.version).reverse()))
      .catch(() => setVersions([]));
  }, [props.currentVersion]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (rangeError) return;
    const window: DriftWindow =
      kind === 'lastN'
        ? { kind, n }
        : kind === 'range'
          ? { kind, fromMs: fromUtcInput(from), toMs: fromUtcInput(to) }
          : { kind, datasetId };
    props.onRun({ window, version: version || null, chunkBy });
  };
  const options = versions.length ? versions : [props.currentVersion];
  return (
    <form className="drift-controls" onSubmit={submit} aria-label="Drift comparison">
      <fieldset>
        <legend>Current window</legend>
        <label className="inline">
          <input type="radio" name="window" checked={kind === 'lastN'} onChange={() => setKind('lastN')} /> Last
          <input
            type="number"
            aria-label="Last N predictions"
            min={10}
            step={1}
            value={n}
            disabled={kind !== 'lastN'}
            onChange={(e) => setN(e.target.valueAsNumber)}
          />
          predictions
        </label>
        <label className="inline">
          <input type="radio" name="window" checked={kind === 'range'} onChange={() => setKind('range')} /> Readings dated from
          <input
            type="datetime-local"
            aria-label="From"
            value={from}
            disabled={kind !== 'range'}
            onChange={(e) => setFrom(e.target.value)}
          />
          to
          <input
            type="datetime-local"
            aria-label="To"
            value={to}
            disabled={kind !== 'range'}
            aria-invalid={rangeError !== null}
            aria-describedby={rangeError ? 'drift-range-error' : undefined}
            onChange={(e) => setTo(e.target.value)}
          />
          UTC
        </label>
        {rangeError && (
          <p className="field-error" id="drift-range-error" role="alert" data-testid="drift-range-error">
            {rangeError}
          </p>
        )}
        <label className="inline">
          <input
            type="radio"
            name="window"
            checked={kind === 'dataset'}
            disabled={datasets.length === 0}
            onChange={() => setKind('dataset')}
          />{' '}
          Dataset
          <select aria-label="Dataset" value={datasetId} disabled={kind !== 'dataset'} onChange={(e) => setDatasetId(e.target.value)}>
            {datasets.length === 0 && <option value="">none loaded</option>}
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.rows.toLocaleString('en-US')} rows)
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>Reference</legend>
        <label className="inline">
          Training profile of
          <select aria-label="Reference version" value={version} onChange={(e) => setVersion(e.target.value)}>
            <option value="">current version ({props.currentVersion})</option>
            {options.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Drift over time by
          <select aria-label="Chunk by" value={chunkBy} onChange={(e) => setChunkBy(e.target.value as DriftRequest['chunkBy'])}>
            <option value="auto">auto</option>
            <option value="hour">hour</option>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="rows">rows</option>
          </select>
        </label>
        <button type="submit" className="btn-primary" disabled={props.running || rangeError !== null}>
          {props.running ? 'Checking…' : 'Check drift'}
        </button>
      </fieldset>
    </form>
  );
}
