import { COLUMN_ROLES, type ColumnRole, type InferredColumnInfo, type MissingPolicyName } from '../../../../src-main/contract/shared/data';
import { fmtBytes, fmtInt } from '../../components/format';
import { Panel } from '../../components/Panel';
import { discardDraft, importDraft, setDraft, type ImportDraft } from '../../state/model';
import { ReadingOptions } from './ReadingOptions';
import { useApp } from '../../state/store';

const MISSING: { value: MissingPolicyName; label: string }[] = [
  { value: 'drop', label: 'Drop the row' },
  { value: 'impute-median', label: 'Fill with the median' },
  { value: 'impute-zero', label: 'Fill with 0' },
];

// Layout only; styles.css belongs to the shell, so the two picker styles live here.
const PICKER = {
  border: '1px solid var(--border)',
  borderRadius: 4,
  margin: '10px 0',
  display: 'flex',
  flexWrap: 'wrap',
  gap: '4px 16px',
} as const;

/** Columns that can be features: numbers, or text that looked numeric enough to be stored as numbers. */
const canBeFeature = (c: InferredColumnInfo): boolean => c.kind === 'number';

/** The inferred schema of a CSV about to be imported: change roles, pick features, then import. */
export function ImportPreview({ draft }: { draft: ImportDraft }) {
  const busy = useApp((s) => Object.values(s.jobs).some((j) => j.op === 'data.import'));
  const { preview, roles } = draft;
  const setRole = (name: string, role: ColumnRole): void => setDraft({ roles: { ...roles, [name]: role } });
  const features = preview.columns.filter((c) => roles[c.name] === 'feature');
  const numeric = preview.columns.filter(canBeFeature);
  return (
    <Panel
      title={`Import ${draft.name}`}
      className="span-2"
      testId="import-preview"
      actions={
        <span className="muted small">
          {fmtBytes(preview.bytes)} · {preview.exactRows ? '' : '≈ '}
          {fmtInt(preview.estimatedRows)} rows · delimiter “{preview.delimiter === '\t' ? 'tab' : preview.delimiter}”
        </span>
      }
    >
      <ReadingOptions draft={draft} />
      {preview.warnings.length > 0 && (
        <ul className="small" aria-label="Warnings">
          {preview.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="table-wrap preview">
        <table className="table" data-testid="schema-table">
          <thead>
            <tr>
              <th>Column</th>
              <th>Looks like</th>
              <th>Role</th>
              <th>First values</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {preview.columns.map((c) => (
              <tr key={c.name}>
                <td>
                  <strong>{c.name}</strong>
                </td>
                <td>{c.type}</td>
                <td>
                  <select
                    aria-label={`Role of ${c.name}`}
                    value={roles[c.name] ?? c.role}
                    onChange={(e) => setRole(c.name, e.target.value as ColumnRole)}
                  >
                    {COLUMN_ROLES.map((r) => (
                      <option key={r} value={r} disabled={r === 'feature' && !canBeFeature(c)}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="muted">
                  {preview.rows
                    .slice(0, 3)
                    .map((row) => row[c.index] ?? '')
                    .join(' · ')}
                </td>
                <td className="muted small">{c.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <fieldset style={PICKER} aria-label="Feature columns">
        <legend>
          Features ({features.length} of {numeric.length} numeric columns)
        </legend>
        {numeric.map((c) => (
          <label key={c.name}>
            <input
              type="checkbox"
              checked={roles[c.name] === 'feature'}
              onChange={(e) => setRole(c.name, e.target.checked ? 'feature' : 'ignored')}
            />{' '}
            {c.name}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <label>
          Dataset name
          <input value={draft.name} onChange={(e) => setDraft({ name: e.target.value })} required maxLength={200} />
        </label>
        <label>
          Missing feature values
          <select value={draft.missing} onChange={(e) => setDraft({ missing: e.target.value as MissingPolicyName })}>
            {MISSING.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <div className="form-actions">
          <button
            type="button"
            className="btn-primary"
            disabled={busy || features.length === 0 || !draft.name.trim()}
            onClick={() => void importDraft()}
          >
            {busy ? 'Importing…' : 'Import'}
          </button>
          <button type="button" className="btn" onClick={discardDraft}>
            Discard
          </button>
        </div>
      </div>
      {features.length === 0 && <p className="muted small">Pick at least one feature column to import.</p>}
    </Panel>
  );
}
