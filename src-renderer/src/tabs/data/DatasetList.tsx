import { useState } from 'react';
import type { DatasetInfo } from '../../../../src-main/contract/ops/data';
import { fmtInt } from '../../components/format';
import { tryCall, useApp } from '../../state/store';
import { Dialog } from '../models/Dialog';

/** The datasets of the open registry (and of this session): pick one, rename it, or delete it after confirming. */
export function DatasetList({ datasets, currentId }: { datasets: DatasetInfo[]; currentId: string | null }) {
  const setCurrent = useApp((s) => s.setCurrentDataset);
  const [renaming, setRenaming] = useState<DatasetInfo | null>(null);
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<DatasetInfo | null>(null);
  const rename = async (): Promise<void> => {
    if (!renaming) return;
    const r = await tryCall('data.rename', { datasetId: renaming.id, name: name.trim() }, `Renaming ${renaming.name}`);
    if (r) setRenaming(null);
  };
  const remove = async (): Promise<void> => {
    if (!deleting) return;
    const r = await tryCall('data.delete', { datasetId: deleting.id }, `Deleting ${deleting.name}`);
    if (r) setDeleting(null);
  };
  return (
    <>
      <ul className="list" aria-label="Loaded datasets">
        {datasets.map((d) => (
          <li key={d.id} style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
            <button
              type="button"
              className={`list-item ${d.id === currentId ? 'selected' : ''}`}
              style={{ flex: 1 }}
              onClick={() => setCurrent(d.id)}
            >
              <strong>{d.name}</strong>{' '}
              <span className="muted small">
                {fmtInt(d.rows)} rows · {d.source}
                {d.stored ? '' : ' · this session only'}
              </span>
            </button>
            <button
              type="button"
              className="btn small"
              aria-label={`Rename ${d.name}`}
              onClick={() => {
                setName(d.name);
                setRenaming(d);
              }}
            >
              Rename
            </button>
            <button type="button" className="btn small" aria-label={`Delete ${d.name}`} onClick={() => setDeleting(d)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <Dialog
        title="Rename dataset"
        open={renaming !== null}
        onClose={() => setRenaming(null)}
        onSubmit={rename}
        submitLabel="Rename"
        disabled={!name.trim()}
        testId="rename-dataset-dialog"
      >
        <label>
          New name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
        </label>
      </Dialog>
      <Dialog
        title="Delete dataset"
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        onSubmit={remove}
        submitLabel="Delete"
        danger
        testId="delete-dataset-dialog"
      >
        {deleting && (
          <p>
            Delete <strong>{deleting.name}</strong> ({fmtInt(deleting.rows)} rows){deleting.stored ? ' from the registry' : ''}? Models
            trained on it are kept; the data itself cannot be brought back
            {deleting.sourceFile ? ` except by importing ${deleting.sourceFile} again` : ''}.
          </p>
        )}
      </Dialog>
    </>
  );
}
